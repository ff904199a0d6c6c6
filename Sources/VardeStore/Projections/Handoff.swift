/// A bounded queue between two stages of `ProjectionPipeline`: `put` waits
/// while it holds `capacity` items, `take` waits while it is empty and
/// returns nil once it is closed and drained. `close` also releases every
/// waiting `put` (its item is dropped), so a failed stage never leaves
/// another waiting for ever.
actor Handoff<Element: Sendable> {
    private let capacity: Int
    private var items: [Element] = []
    private var takers: [CheckedContinuation<Element?, Never>] = []
    private var putters: [CheckedContinuation<Void, Never>] = []
    private var closed = false

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    func put(_ item: Element) async {
        while items.count >= capacity && !closed {
            await withCheckedContinuation { putters.append($0) }
        }
        guard !closed else { return }
        if takers.isEmpty {
            items.append(item)
        } else {
            takers.removeFirst().resume(returning: item)
        }
    }

    func take() async -> Element? {
        if !items.isEmpty {
            let item = items.removeFirst()
            if !putters.isEmpty { putters.removeFirst().resume() }
            return item
        }
        if closed { return nil }
        return await withCheckedContinuation { takers.append($0) }
    }

    func close() {
        closed = true
        for taker in takers { taker.resume(returning: nil) }
        for putter in putters { putter.resume() }
        takers = []
        putters = []
    }
}
