import Foundation

/// Runs system calls over many paths on all cores: most of their time is waiting on the kernel, not the CPU.
enum Parallel {
    /// `transform` over `items` in order; serial for few items, where threads would cost more than they save.
    static func map<T: Sendable, R>(_ items: [T], serialBelow: Int = 512, _ transform: @Sendable (T) -> R) -> [R] {
        if items.count < serialBelow { return items.map(transform) }
        let chunks = max(1, min(items.count / 128, ProcessInfo.processInfo.activeProcessorCount * 2))
        let size = (items.count + chunks - 1) / chunks
        var results = [R?](repeating: nil, count: items.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = Slots(buffer)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                for index in (chunk * size)..<min(items.count, (chunk + 1) * size) { slots.buffer[index] = transform(items[index]) }
            }
        }
        return results.map { $0! }
    }

    /// Each thread writes only its own indices.
    // @unchecked: the chunks of `buffer` that threads write do not overlap, and it outlives them.
    private final class Slots<R>: @unchecked Sendable {
        let buffer: UnsafeMutableBufferPointer<R?>
        init(_ buffer: UnsafeMutableBufferPointer<R?>) { self.buffer = buffer }
    }

    /// A flag set from several threads at once: the first failure stops the others.
    // @unchecked: `value` is only touched under `lock`.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        var isSet: Bool { lock.withLock { value } }
        func set() { lock.withLock { value = true } }
    }
}
