/// Times as the protocol carries them (nanoseconds since the Unix epoch, 0 for "not set"),
/// written as ISO-8601 in UTC.
enum Timestamp {
    /// Whole seconds for people: `2024-05-01T12:00:00Z`; "-" for 0.
    static func text(_ nanoseconds: Int64) -> String {
        guard nanoseconds != 0 else { return "-" }
        return civil(nanoseconds).text + "Z"
    }

    /// Nanosecond precision for JSON: `2024-05-01T12:00:00.123456789Z`; nil for 0. The
    /// fixed width keeps the strings in time order when sorted.
    static func precise(_ nanoseconds: Int64) -> String? {
        guard nanoseconds != 0 else { return nil }
        let (text, fraction) = civil(nanoseconds)
        return text + "." + padded(fraction, 9) + "Z"
    }

    /// The date and time of day to the second, and the nanoseconds past that second.
    private static func civil(_ nanoseconds: Int64) -> (text: String, fraction: Int64) {
        let (seconds, fraction) = floorDivide(nanoseconds, 1_000_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = date(fromDaysSinceEpoch: days)
        let time = [secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60]
        let text = padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2) + "T"
            + time.map { padded($0, 2) }.joined(separator: ":")
        return (text, fraction)
    }

    // Counts from 1 March of year 0 so that the leap day falls at the end of each year,
    // then splits the days into 400-year eras of 146,097 days, years and months.
    private static func date(fromDaysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let (era, dayOfEra) = floorDivide(shifted, 146_097)
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096)
            / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let remainder = a % b
        return remainder < 0 ? (a / b - 1, remainder + b) : (a / b, remainder)
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let zeros = String(repeating: "0", count: max(0, width - digits.count))
        return (value < 0 ? "-" : "") + zeros + digits
    }
}
