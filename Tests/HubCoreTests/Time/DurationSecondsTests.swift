import HubCore
import Testing

@Suite struct DurationSecondsTests {
    @Test func fractionsOfASecondAndOfAMillisecondAreKept() {
        #expect(Duration.milliseconds(1_500).inSeconds == 1.5)
        #expect(Duration.microseconds(2_250).inMilliseconds == 2.25)
        #expect(Duration.seconds(3).inMilliseconds == 3_000)
        #expect(Duration.zero.inSeconds == 0)
    }
}
