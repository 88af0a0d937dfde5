#ifndef TIANSHAN_CTIANSHANSYSTEM_H
#define TIANSHAN_CTIANSHANSYSTEM_H

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

// Glibc declares renameat2 only under _GNU_SOURCE, which Swift's Glibc module does not see; the system call is
// stable (Linux 3.15), so it is called directly.
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

/// Swaps the directory entries `a` and `b` in one step (renameat2 with RENAME_EXCHANGE): both must exist.
/// Returns 0, or -1 with errno set (EINVAL or ENOSYS where the file system or kernel cannot exchange).
static inline int tianshan_exchange(const char *a, const char *b) {
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

#endif
