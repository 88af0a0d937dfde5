/// The live-reload client and how it gets into served pages; only the preview server ever adds it.
public enum ReloadScript {
    /// Where the preview serves its own files; a site cannot use this folder.
    public static let prefix = "/__tianshan/"
    /// The Server-Sent Events endpoint.
    public static let eventsPath = "/__tianshan/events"
    /// The external client script, so pages need no inline script (and a strict CSP keeps working).
    public static let scriptPath = "/__tianshan/reload.js"

    /// The client: compares the build it was served with against every `hello`/`reload` and reloads on a difference.
    /// EventSource reconnects by itself, so restarting `tianshan serve` also brings open tabs up to date.
    public static let javaScript = """
    // Tianshan preview: reloads the page when the site has been rebuilt.
    (function () {
      "use strict";
      var script = document.currentScript;
      var build = script ? script.getAttribute("data-build") : null;
      if (!window.EventSource) return;
      var source = new EventSource("\(eventsPath)");
      function check(event) {
        var data;
        try { data = JSON.parse(event.data); } catch (e) { return; }
        if (String(data.build) !== build) {
          source.close();
          window.location.reload();
        }
      }
      source.addEventListener("hello", check);
      source.addEventListener("reload", check);
    })();

    """

    /// The tag added to each served page.
    public static func tag(build: Int) -> String {
        "<script src=\"\(scriptPath)\" data-build=\"\(build)\" defer></script>"
    }

    /// Inserts `tag(build:)` before the last `</body>` (any letter case), or appends it when there is none.
    public static func inject(into html: [UInt8], build: Int) -> [UInt8] {
        let tag = Array(tag(build: build).utf8)
        guard let at = insertionPoint(in: html) else { return html + tag }
        var result = [UInt8]()
        result.reserveCapacity(html.count + tag.count)
        result.append(contentsOf: html[..<at])
        result.append(contentsOf: tag)
        result.append(contentsOf: html[at...])
        return result
    }

    /// Offset (from the start) of the last `</body` followed by `>` or whitespace, ignoring ASCII case; nil when
    /// there is none. Generic so the server can search a file's bytes in place instead of copying a large page.
    public static func insertionPoint<Bytes: RandomAccessCollection>(in html: Bytes) -> Int? where Bytes.Element == UInt8 {
        let needle = Array("</body".utf8)
        let count = html.count
        guard count >= needle.count else { return nil }
        func byte(_ offset: Int) -> UInt8 { html[html.index(html.startIndex, offsetBy: offset)] }
        var start = count - needle.count
        while start >= 0 {
            var matches = true
            for offset in 0..<needle.count where lowercased(byte(start + offset)) != needle[offset] {
                matches = false
                break
            }
            if matches {
                let next = start + needle.count
                if next == count || [UInt8(ascii: ">"), UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(byte(next)) {
                    return start
                }
            }
            start -= 1
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }
}
