import Dispatch

// The command runs on a task while this thread waits for it, instead of an async `main` handing the main thread
// to dispatch_main: valgrind (the benchmark's callgrind instruction counts) crashes on a process whose main
// thread did that. Nothing here runs on the main actor, so no work waits for this thread.
let finished = DispatchSemaphore(value: 0)
Task.detached {
    await Tianshan.main()
    finished.signal()
}
finished.wait()
