#!/usr/bin/env python3
"""Writes the seed corpus of one fuzz target from the frames in spec/vectors/.

Usage: seeds.py TARGET VECTORS_DIR OUT_DIR

Every vector's `frame` hex becomes binary input in the layout the target reads:
  frame       the frame as is;
  message     one selector byte, then the frame's body (see MessageFuzz.swift);
  connection  two control bytes, then the stream (see ConnectionFuzz.swift); the valid
              requests are also joined into one stream, whole and cut into pieces.
Files are named by content hash, so writing again changes nothing.
"""

import hashlib
import json
import pathlib
import sys

# Model selectors of the message target (0x80 | index into its model table).
MODEL = {
    "process": 0, "spec": 1, "runtime": 4, "colony": 5, "statistics": 6,
    "newattribute": 8, "attribute": 9, "hello": 10, "pong": 11, "error": 12,
}
# Which model a request's or reply's body is, by message type.
REQUEST_MODEL = {0x10: "colony", 0x20: "runtime", 0x30: "spec", 0x40: "newattribute"}
REPLY_MODEL = {
    0x02: "pong", 0x10: "colony", 0x12: "colony", 0x20: "runtime", 0x22: "runtime",
    0x23: "runtime", 0x24: "runtime", 0x30: "process", 0x37: "statistics",
    0x40: "attribute", 0x41: "attribute",
}
SERVER_MODEL = {0x01: "hello", 0x7E: "process", 0x7F: "error"}


def split(frame):
    """The type byte and body of a frame, or None when it is too short to have them."""
    if len(frame) < 11:
        return None
    type_byte, flags = frame[5], frame[6]
    if flags & 1:
        if len(frame) < 19 + 65:
            return None
        return type_byte, frame[19:-65]
    return type_byte, frame[11:]


def message_seeds(frame):
    parts = split(frame)
    if parts is None:
        return []
    type_byte, body = parts
    seeds = [bytes([type_byte & 0x7F]) + body]
    if type_byte & 0x80:
        model = REPLY_MODEL.get(type_byte & 0x7F)
    else:
        model = REQUEST_MODEL.get(type_byte) or SERVER_MODEL.get(type_byte)
    if model:
        seeds.append(bytes([0x80 | MODEL[model]]) + body)
    return seeds


def connection_seeds(frames, requests):
    seeds = [b"\x00\x00" + f for f in frames]
    stream = b"".join(requests)
    seeds.append(b"\x00\x00" + stream)
    # The same stream cut at three places, and with every delivery pausing the reader.
    cuts = [3, len(stream) // 2, len(stream) - 1]
    seeds.append(bytes([3, 0]) + b"".join(c.to_bytes(2, "big") for c in cuts) + stream)
    seeds.append(b"\x00\xff" + stream)
    return seeds


def main():
    target, vectors_dir, out_dir = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
    frames, requests = [], []
    for path in sorted(vectors_dir.glob("*.json")) + sorted(vectors_dir.glob("*/*.json")):
        doc = json.loads(path.read_text())
        for v in doc.get("vectors", []):
            if "frame" not in v:
                continue
            frame = bytes.fromhex(v["frame"])
            frames.append(frame)
            if doc.get("kind") == "requests":
                requests.append(frame)

    if target == "frame":
        seeds = frames
    elif target == "message":
        seeds = [s for f in frames for s in message_seeds(f)]
    elif target == "connection":
        seeds = connection_seeds(frames, requests)
    else:
        sys.exit(f"seeds.py: unknown target {target}")

    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        (out / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
    print(f"seeds: {len(seeds)} for {target} from {vectors_dir}")


if __name__ == "__main__":
    main()
