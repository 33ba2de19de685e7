/*
 * Preloaded into a throwaway PostgreSQL by scripts/load-test.sh --flush-delay-us N: every fdatasync and
 * fsync returns N microseconds late, so the load test can show what group commit is worth on a disk whose
 * flushes cost what a cloud disk's do (this machine's local disk flushes in about 0.2 ms).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

static long flush_delay_us(void)
{
    static long cached = -1;
    if (cached < 0) {
        const char *value = getenv("SLOW_FLUSH_US");
        cached = value ? atol(value) : 0;
    }
    return cached;
}

static void wait_after_flush(void)
{
    long us = flush_delay_us();
    if (us <= 0)
        return;
    struct timespec left = { us / 1000000, (us % 1000000) * 1000 };
    while (nanosleep(&left, &left) != 0) {
    }
}

int fdatasync(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
    int rc = real(fd);
    wait_after_flush();
    return rc;
}

int fsync(int fd)
{
    static int (*real)(int);
    if (!real)
        real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
    int rc = real(fd);
    wait_after_flush();
    return rc;
}
