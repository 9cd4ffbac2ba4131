// Linux calls that Swift's Glibc module leaves out.
#include <malloc.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>

// Declared by <sys/socket.h> only under _GNU_SOURCE, which the Glibc module does not set.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

// Names the calling thread, as `top -H` shows it. prctl is variadic, which Swift cannot call.
static inline int clinux_name_thread(const char *name) {
    return prctl(PR_SET_NAME, name, 0, 0, 0);
}
