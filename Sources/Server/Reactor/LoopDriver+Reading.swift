extension LoopDriver {
    /// Reads once from a readable connection and delivers the frames completed. One read
    /// per readiness event keeps a fast sender from monopolising the loop; epoll reports
    /// the connection again while bytes remain.
    func readAndDeliver(_ connection: Connection<Handler>) {
        let fd = connection.fd
        let result: IOResult<Int>
        do {
            result = try readBuffer.withUnsafeMutableBytes { raw in
                Result { () throws(ReactorError) in try Syscall.read(fd, into: raw) }
            }.get()
        } catch {
            finalize(connection)
            return
        }

        switch result {
        case .wouldBlock:
            return
        case .processed(0):
            // The peer finished sending: write what is queued for it, then close.
            connection.phase = .closing
            requestFlush(connection)
        case .processed(let count):
            counters.bytesReceived.wrappingAdd(count, ordering: .relaxed)
            deliver(readBuffer[0..<count], to: connection)
        }
    }

    /// Feeds `chunk` (empty: only what the decoder holds back) to the connection's decoder
    /// and hands the complete frames to the handler until it closes the connection or
    /// queues more than the high watermark.
    func deliver(_ chunk: ArraySlice<UInt8>, to connection: Connection<Handler>) {
        // The decoder is moved out while frames are handed on, so a handler touching the
        // connection cannot overlap with the decoder's own access.
        var decoder = connection.decoder
        connection.decoder = FrameDecoder()
        var delivered = 0
        let outcome = decoder.feed(chunk, maxLength: configuration.maxFrameLength) { frame in
            delivered += 1
            handler.frame(connection, frame)
            return wantsToRead(connection)
        }
        counters.framesReceived.wrappingAdd(delivered, ordering: .relaxed)

        if case .oversized(let length) = outcome {
            decoder.reset()
            connection.decoder = decoder
            handler.oversized(connection, declaredLength: length)
            connection.close()
            return
        }

        connection.decoder = decoder
        if decoder.bufferedByteCount == 0 {
            connection.partialSince = 0
        } else if delivered > 0 || connection.partialSince == 0 {
            connection.partialSince = now
        }
    }

    /// Resumes reading a connection whose unsent bytes fell to the low watermark, first
    /// delivering the frames held back when it paused.
    func resumeReading(_ connection: Connection<Handler>) {
        connection.readPaused = false
        guard wantsToRead(connection) else {
            return
        }
        // The pause is the server's doing, so the stalled-frame clock starts afresh.
        connection.partialSince = 0
        if connection.decoder.bufferedByteCount > 0 {
            deliver([], to: connection)
        }
    }
}
