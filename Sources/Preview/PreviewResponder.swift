import Foundation
import Glibc
import Hummingbird
import ServiceLifecycle

/// Answers every preview request: the site's files, the reload script and event stream, error and 404 pages.
///
/// A plain responder rather than a router: routers match on segments and would see `..` or `%2F` before the
/// resolver could refuse them, while here the raw request target goes straight to `SitePathResolver`.
struct PreviewResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    let builder: PreviewBuilder
    let hub: ReloadHub
    /// The built site; replaced as a whole by every good build, so it is looked up per request.
    let siteRoot: URL
    let resolver = SitePathResolver()

    func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .get || request.method == .head else {
            var headers = HTTPFields()
            headers[.allow] = "GET, HEAD"
            return Self.text(.methodNotAllowed, "Method not allowed\n", headers: headers)
        }
        let target = request.uri.string
        let response: Response
        if target.hasPrefix(ReloadScript.prefix) {
            response = await own(target)
        } else {
            response = await site(target, ifNoneMatch: request.headers[.ifNoneMatch])
        }
        return request.method == .head ? response.createHeadResponse() : response
    }

    // MARK: The preview's own files

    private func own(_ target: String) async -> Response {
        let path = SitePathResolver.splitQuery(target).path
        switch path {
        case ReloadScript.scriptPath[...]:
            var headers = HTTPFields()
            headers[.contentType] = "application/javascript"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: ReloadScript.javaScript)))
        case ReloadScript.eventsPath[...]:
            return events()
        default:
            return Self.text(.notFound, "Not found\n")
        }
    }

    /// A Server-Sent Events stream that stays open until the client leaves or the server shuts down.
    private func events() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/event-stream"
        headers[.cacheControl] = "no-store"
        let hub = self.hub
        let body = ResponseBody { writer in
            let (id, events) = await hub.subscribe()
            do {
                // `retry` makes EventSource come back quickly after a restart of `tianshan serve`.
                try await writer.write(ByteBuffer(string: "retry: 1000\n\n"))
                // Ending on graceful shutdown lets Ctrl-C finish instead of waiting for every open tab.
                for await event in events.cancelOnGracefulShutdown() {
                    try await writer.write(ByteBuffer(string: event.serverSentEvent))
                }
            } catch {
                await hub.unsubscribe(id)
                throw error
            }
            await hub.unsubscribe(id)
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    // MARK: The site

    private func site(_ target: String, ifNoneMatch: String?) async -> Response {
        let state = await builder.state
        let root = siteRoot.path
        let resolution = resolver.resolve(target) { Self.kind(of: root + "/" + $0) }
        switch resolution {
        case .forbidden:
            return Self.text(.forbidden, "Forbidden\n")
        case .redirect(let location):
            var headers = HTTPFields()
            headers[.location] = location
            headers[.cacheControl] = "no-cache"
            return Self.text(.movedPermanently, "Moved to \(location)\n", headers: headers)
        case .notFound:
            if !state.ok { return errorPage(state) }
            return notFound(state)
        case .file(let relative):
            guard let file = Self.contained(relative, in: root) else { return Self.text(.forbidden, "Forbidden\n") }
            let type = MediaType.forPath(relative)
            // While the build is broken, pages show the errors; assets of the last good build still load.
            if !state.ok, MediaType.isHTML(type) { return errorPage(state) }
            return serve(file, type: type, status: .ok, state: state, ifNoneMatch: ifNoneMatch) ?? notFound(state)
        }
    }

    private func notFound(_ state: BuildState) -> Response {
        if let file = Self.contained("404.html", in: siteRoot.path),
           let response = serve(file, type: MediaType.forPath("404.html"), status: .notFound, state: state, ifNoneMatch: nil) {
            return response
        }
        return Self.text(.notFound, "Not found\n")
    }

    private func errorPage(_ state: BuildState) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let html = ErrorPage.html(diagnostics: state.failure, build: state.build)
        return Response(status: .internalServerError, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// Reads a file that `contained` approved; nil when it vanished in between (a rebuild swapped the folder).
    private func serve(_ file: RealFile, type: String, status: HTTPResponse.Status, state: BuildState, ifNoneMatch: String?) -> Response? {
        // The build number is part of the tag because HTML gets it injected; with `no-cache` the browser
        // revalidates every time and a rebuilt page never comes from its cache.
        let etag = "W/\"\(state.build)-\(file.inode)-\(file.size)-\(file.modified)\""
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-cache"
        headers[.eTag] = etag
        headers[.xContentTypeOptions] = "nosniff"
        if status == .ok, let ifNoneMatch, ifNoneMatch.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag }) {
            return Response(status: .notModified, headers: headers)
        }
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        // One copy into the response buffer, the tag spliced in on the way: listing pages can be megabytes.
        var buffer = ByteBufferAllocator().buffer(capacity: data.count + 128)
        data.withUnsafeBytes { bytes in
            guard MediaType.isHTML(type) else { buffer.writeBytes(bytes); return }
            let at = ReloadScript.insertionPoint(in: bytes) ?? bytes.count
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[..<at]))
            buffer.writeString(ReloadScript.tag(build: state.build))
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[at...]))
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }

    // MARK: File system

    /// A regular file whose real path is inside the site folder.
    struct RealFile {
        var path: String
        var inode: UInt64
        var size: Int64
        var modified: Int64
    }

    /// Resolves symbolic links and refuses anything whose real path is not below the real site folder.
    static func contained(_ relative: String, in root: String) -> RealFile? {
        guard let realRoot = realPath(root), let real = realPath(root + "/" + relative),
              real.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else { return nil }
        var info = stat()
        guard stat(real, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return RealFile(path: real, inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: modified)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func kind(of path: String) -> SitePathResolver.EntryKind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default: return .missing
        }
    }

    static func text(_ status: HTTPResponse.Status, _ text: String, headers: HTTPFields = HTTPFields()) -> Response {
        var headers = headers
        headers[.contentType] = "text/plain; charset=utf-8"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
