import Testing
@testable import ApusClient

@Suite struct WorkQueueTests {
    @Test func aKeyIsQueuedOnceAndHandedToOneWorkerAtATime() async {
        let queue = WorkQueue<String>()
        await queue.add("a")
        await queue.add("b")
        await queue.add("a")
        #expect(await queue.count == 2)
        let first = await queue.next()
        #expect(first == "a")
        await queue.add("a")  // while "a" is being processed
        #expect(await queue.next() == "b")
        #expect(await queue.count == 0, "a key in processing is not handed out again")
        await queue.done("a")
        #expect(await queue.next() == "a", "added while processing: queued again once done")
    }

    @Test func aWaitingWorkerGetsTheNextKey() async {
        let queue = WorkQueue<Int>()
        async let waiting = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        await queue.add(7)
        #expect(await waiting == 7)
    }

    @Test func failuresBackOffExponentiallyUntilForgotten() async throws {
        let queue = WorkQueue<String>(baseDelay: 0.01, maxDelay: 1)
        await queue.addRateLimited("x")
        await queue.addRateLimited("x")
        #expect(await queue.requeues("x") == 2)
        #expect(await queue.count == 0, "rate-limited adds arrive later")
        let key = await queue.next()
        #expect(key == "x")
        await queue.forget("x")
        #expect(await queue.requeues("x") == 0)
    }

    @Test func shutDownWakesWorkers() async {
        let queue = WorkQueue<String>()
        async let waiting = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        await queue.shutDown()
        #expect(await waiting == nil)
    }
}

@Suite struct WorkQueueCancellationTests {
    @Test func aCancelledWorkerStopsWaiting() async {
        let queue = WorkQueue<String>()
        let worker = Task { await queue.next() }
        try? await Task.sleep(for: .milliseconds(20))
        worker.cancel()
        #expect(await worker.value == nil)
        await queue.add("later")
        #expect(await queue.count == 1, "the cancelled worker took nothing")
    }
}
