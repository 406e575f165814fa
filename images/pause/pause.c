/*
 * pause: the process that holds a pod sandbox's namespaces open.
 *
 * The kubelet starts this as PID 1 of every pod sandbox; the pod's app
 * containers then join its network/IPC (and optionally PID) namespaces.
 * It must therefore live until the pod is torn down, use no resources,
 * and behave as a proper init:
 *   - reap orphans: with a shared PID namespace, children re-parented to
 *     PID 1 would otherwise stay zombies forever;
 *   - exit cleanly on SIGINT/SIGTERM: PID 1 gets no default signal
 *     dispositions from the kernel, so without handlers `kill` would be
 *     ignored and the runtime would have to fall back to SIGKILL.
 *
 * Built with `gcc -static -Os` so the image needs nothing but this file.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_terminate(int sig) {
    (void)sig;
    /* _exit is async-signal-safe; there is nothing to flush or clean up. */
    _exit(0);
}

static void on_child(int sig) {
    (void)sig;
    int saved = errno;
    /* One SIGCHLD may stand for several exits (signals coalesce), so reap
     * until no exited child is left; WNOHANG keeps the handler from
     * blocking on children that are still running. */
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
    errno = saved;
}

static int handle(int sig, void (*fn)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    /* SA_NOCLDSTOP: stopped/continued children need no reaping. */
    sa.sa_flags = sig == SIGCHLD ? SA_NOCLDSTOP : 0;
    return sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv) {
    (void)argc;
    (void)argv;
    if (getpid() != 1) {
        /* Still works (the handlers are harmless), but orphans only reach
         * us when we are PID 1 or a subreaper, so say so. */
        fprintf(stderr, "pause: warning: not running as PID 1\n");
    }
    if (handle(SIGINT, on_terminate) != 0 || handle(SIGTERM, on_terminate) != 0 ||
        handle(SIGCHLD, on_child) != 0) {
        perror("pause: sigaction");
        return 1;
    }
    /* Sleep until a signal arrives; loop because SIGCHLD wakes us too. */
    for (;;) {
        pause();
    }
    /* not reached */
    return 42;
}
