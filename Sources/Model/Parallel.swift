import Foundation

/// Maps `transform` over `items` on all cores, in contiguous chunks, keeping the input order: the one helper
/// every stage uses for parallel work.
public func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) async -> [R] {
    if items.count < 2 { return items.map(transform) }
    let workers = min(items.count, max(1, ProcessInfo.processInfo.activeProcessorCount) * 4)
    let size = (items.count + workers - 1) / workers
    return await withTaskGroup(of: (Int, [R]).self) { group in
        for start in stride(from: 0, to: items.count, by: size) {
            let slice = items[start..<min(items.count, start + size)]
            group.addTask { (start, slice.map(transform)) }
        }
        var parts: [(Int, [R])] = []
        for await part in group { parts.append(part) }
        return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }
}

/// Maps `transform` over `items` on all cores and passes each result to `then` as soon as it is ready, with at
/// most `width` items per core under way, so results that are large (rendered pages) do not pile up. The
/// results of `then` come back in the input order.
public func parallelMap<T: Sendable, R: Sendable, S: Sendable>(
    _ items: [T], width: Int, _ transform: @escaping @Sendable (T) -> R, then: @escaping @Sendable (R) async -> S
) async -> [S] {
    let limit = max(1, ProcessInfo.processInfo.activeProcessorCount * width)
    return await withTaskGroup(of: (Int, S).self) { group in
        var results: [(Int, S)] = []
        var running = 0
        for (index, item) in items.enumerated() {
            if running >= limit, let done = await group.next() {
                results.append(done)
                running -= 1
            }
            running += 1
            group.addTask { (index, await then(transform(item))) }
        }
        for await done in group { results.append(done) }
        return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
}
