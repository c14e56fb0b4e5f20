/*
 * legacyd-helper: the native build of the helper in ../helper-spawner.ts (same protocol, same
 * monitors; the Perl script there is its fallback and its specification).
 *
 * It forks the daemon's per-process monitors and runs runc's verbs, so the daemon (Node, tens of
 * MB) never forks itself. A monitor is a fork of this helper: it becomes its process's child
 * subreaper, runs runc detached, waits for the process runc leaves behind and records its exact
 * status (128+signal when killed) in <dir>/exit, written over 16 bytes taken before the process
 * started and renamed from exit.tmp. Forking this ~100 KB program instead of Perl takes the
 * page-table copies and copy-on-write faults of a 6 MB interpreter off every create.
 *
 *   legacyd-helper <1|0: may be a child subreaper> [title room...]
 *
 * stdin:  `<byte length>\n` then the fields joined by NUL:
 *           x <stdout file> <stderr file> <argv...>    run argv (both files appended to)
 *           m <detached 0|1> <dir> <in> <in mode> <out> <out mode> <err> <err mode> <runc argv...>
 * stdout: `h <1 when it can be a child subreaper, else 0> 1` first (the 1: its reaping monitors
 *         report their starts); then per request, in order, `p <pid>` (for a monitor
 *         `p <pid> <start time>`, field 22 of its /proc stat) or `e <reason>`;
 *         `x <pid> <wait status>` whenever it reaps a child; and from a reaping monitor, once runc
 *         has left its process running, `s <monitor pid> <process pid>`.
 * It exits at EOF on stdin (the daemon went); its monitors live on, re-parented to init.
 * Its argv (arguments after the first are room only) is rewritten so that ps shows
 * `legacyd-helper`, and each monitor as `legacyd-monitor <dir>`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The argv area, rewritten for ps (see set_title). */
static char *title_start;
static size_t title_room;

static int log_fd = -1;
static int exit_fd = -1;
/* A reaping monitor's copy of the daemon's end of the helper's stdout, until it reports the start. */
static int report_fd = -1;
static pid_t feeder;
static const char *proc_dir = "";

/* What /proc/<pid>/cmdline shows: `title`, then non-NUL filler up to the area's last byte, which
 * makes the kernel read the area as one string up to the first NUL (its setproctitle case). */
static void set_title(const char *title, const char *comm) {
  if (title_room > 1) {
    size_t n = strlen(title);
    if (n > title_room - 2) n = title_room - 2;
    memcpy(title_start, title, n);
    title_start[n] = '\0';
    memset(title_start + n + 1, ' ', title_room - n - 1);
  }
  prctl(PR_SET_NAME, comm, 0, 0, 0);
}

/* write(2) of all of buf, again after EINTR or a short write; 0 when it all went. */
static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t w = write(fd, buf, len);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += w;
    len -= (size_t)w;
  }
  return 0;
}

/* printf to a descriptor in one write (cut at 4 KB). To the daemon (stdout) that is one line each,
 * under PIPE_BUF, so lines from the helper and its children never interleave. */
static void fd_printf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fd_printf(int fd, const char *fmt, ...) {
  char line[4096];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n < 0 || fd < 0) return;
  if ((size_t)n >= sizeof line) n = sizeof line - 1;
  write_all(fd, line, (size_t)n);
}

static int status_of(int st) { return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st); }

/* open(2) of `path` onto `target` (dup2), the temporary descriptor closed; 0 on success. */
static int open_onto(int target, const char *path, int flags) {
  int fd = open(path, flags | O_CLOEXEC, 0666);
  if (fd < 0) return -1;
  if (fd == target) return fcntl(fd, F_SETFD, 0);  // it was free: keep it across exec
  if (dup2(fd, target) < 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  close(fd);
  return 0;
}

static void null_stdio(void) {
  open_onto(STDIN_FILENO, "/dev/null", O_RDONLY);
  open_onto(STDOUT_FILENO, "/dev/null", O_WRONLY);
  open_onto(STDERR_FILENO, "/dev/null", O_WRONLY);
}

static char *path_in(const char *name) {
  char *p;
  if (asprintf(&p, "%s/%s", proc_dir, name) < 0) _exit(1);
  return p;
}

/* The status into exit.tmp, over the room the monitor took at its start (a new file if there is
 * none), then renamed to exit; 0 on success. */
static int record(int status) {
  char line[16];
  int n = snprintf(line, sizeof line, "%d\n", status);
  char *tmp = path_in("exit.tmp");
  char *final = path_in("exit");
  int fd = exit_fd;
  if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0) fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) return -1;
  if (write_all(fd, line, (size_t)n) != 0 || ftruncate(fd, n) != 0) return -1;
  if (close(fd) != 0) return -1;
  return rename(tmp, final);
}

static void finish(int status) __attribute__((noreturn));
static void finish(int status) {
  null_stdio();
  if (feeder > 0) kill(feeder, SIGKILL);
  if (record(status) == 0) _exit(0);
  fd_printf(log_fd, "legacyd monitor: cannot record exit status %d: %s\n", status, strerror(errno));
  _exit(1);
}

static void fail(const char *fmt, ...) __attribute__((noreturn));
static void fail(const char *fmt, ...) {
  char msg[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  fd_printf(log_fd, "legacyd monitor: %s\n", msg);
  finish(127);
}

static void reopen(int target, const char *name, const char *path, const char *mode) {
  int rc;
  if (strcmp(mode, "fifo") == 0) rc = open_onto(target, path, O_RDWR);
  else if (strcmp(mode, "file") == 0) rc = open_onto(target, path, O_WRONLY | O_APPEND | O_CREAT);
  else rc = open_onto(target, "/dev/null", O_WRONLY);
  if (rc != 0) fail("cannot open %s %s: %s", name, path, strerror(errno));
}

/* Copies the stdin fifo into `w` until EOF; a client that opens the fifo late blocks only this. */
static void feed(const char *in, int w) __attribute__((noreturn));
static void feed(const char *in, int w) {
  int src = open(in, O_RDONLY);
  if (src < 0) _exit(0);
  static char buf[65536];
  for (;;) {
    ssize_t n = read(src, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (write_all(w, buf, (size_t)n) != 0) break;
  }
  _exit(0);
}

/* `s <this monitor> <pid>` to the daemon, so it need not watch the pid file; then the copy goes.
 * On Node's socket pair it never blocks and never raises SIGPIPE (the daemon may be gone, or
 * stopped with its socket full): a report that cannot go is only slower news, as the daemon also
 * looks at the pid file. */
static void report_started(pid_t pid) {
  if (report_fd < 0) return;
  char line[64];
  int n = snprintf(line, sizeof line, "s %d %d\n", (int)getpid(), (int)pid);
  ssize_t w;
  do w = send(report_fd, line, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL);
  while (w < 0 && errno == EINTR);
  if (w < 0 && errno == ENOTSOCK) {
    // A pipe, not Node's socket pair: a plain write, which blocks only while the daemon leaves
    // 64 KB unread (so would the helper). runc and its process are started: SIGPIPE may be ignored.
    signal(SIGPIPE, SIG_IGN);
    write_all(report_fd, line, (size_t)n);
  }
  close(report_fd);
  report_fd = -1;
}

/* A small file's start, NUL-terminated in `buf`; 0 when it cannot be read or is empty. */
static int read_small(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, size - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = '\0';
  return 1;
}

static pid_t read_pid(void) {
  char buf[64];
  if (!read_small(path_in("pid"), buf, sizeof buf)) return 0;
  char *s = buf, *end;
  while (*s == ' ' || *s == '\t' || *s == '\n') s++;
  if (*s < '0' || *s > '9') return 0;
  errno = 0;
  long v = strtol(s, &end, 10);
  while (*end == ' ' || *end == '\t' || *end == '\n') end++;
  if (errno != 0 || *end != '\0' || v <= 0 || v > 0x7fffffff) return 0;
  return (pid_t)v;
}

/* A monitor: f[0] detached, f[1] dir, f[2..7] stdio, then runc's argv. Never returns. */
static void monitor(char **f, int nf) __attribute__((noreturn));
static void monitor(char **f, int nf) {
  if (nf < 9) _exit(127);
  int detached = strcmp(f[0], "1") == 0;
  proc_dir = f[1];
  const char *in = f[2], *inm = f[3], *out = f[4], *outm = f[5], *err = f[6], *errm = f[7];
  char **argv = f + 8;
  char *title;
  if (asprintf(&title, "legacyd-monitor %s", proc_dir) >= 0) set_title(title, "legacyd-monitor");
  // The line that tells the daemon its process runs goes where the helper's lines go.
  if (detached) report_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  null_stdio();
  char *logp = path_in("monitor.log");
  log_fd = open(logp, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (log_fd < 0) log_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  // Room for the exit status, taken before the process starts (16 bytes: any status fits).
  char *tmp = path_in("exit.tmp");
  exit_fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (exit_fd < 0 || write_all(exit_fd, "               \n", 16) != 0) {
    int e = errno;
    if (exit_fd >= 0) close(exit_fd);
    exit_fd = -1;
    fail("cannot make %s: %s", tmp, strerror(e));
  }
  if (detached && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) fail("cannot become a child subreaper: %s", strerror(errno));
  if (strcmp(inm, "fifo") == 0) {
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) fail("pipe: %s", strerror(errno));
    feeder = fork();
    if (feeder < 0) fail("fork: %s", strerror(errno));
    if (feeder == 0) {
      close(p[0]);
      if (report_fd >= 0) close(report_fd);
      feed(in, p[1]);
    }
    close(p[1]);
    if (dup2(p[0], STDIN_FILENO) < 0) fail("stdin pipe: %s", strerror(errno));
    close(p[0]);
  } else if (strcmp(inm, "file") == 0) {
    if (open_onto(STDIN_FILENO, in, O_RDONLY) != 0) fail("cannot open stdin %s: %s", in, strerror(errno));
  }
  reopen(STDOUT_FILENO, "stdout", out, outm);
  reopen(STDERR_FILENO, "stderr", err, errm);
  // posix_spawn: glibc's clone(CLONE_VM|CLONE_VFORK), no copy of this process at all.
  pid_t runc;
  int rc = posix_spawnp(&runc, argv[0], NULL, NULL, argv, environ);
  if (rc != 0) {
    fd_printf(log_fd, "legacyd monitor: cannot run %s: %s\n", argv[0], strerror(rc));
    finish(127);
  }
  int st;
  for (;;) {
    pid_t w = waitpid(runc, &st, 0);
    if (w == runc) break;
    if (w < 0 && errno == EINTR) continue;
    fail("lost runc (%d): %s", (int)runc, strerror(errno));
  }
  if (!detached || st != 0) finish(status_of(st));
  // runc started the process and left; the process is this monitor's child now. Only it holds the stdio.
  null_stdio();
  pid_t pid = read_pid();
  if (pid == 0) {
    fd_printf(log_fd, "legacyd monitor: runc exited 0 but left no pid in %s/pid\n", proc_dir);
    finish(255);
  }
  report_started(pid);
  for (;;) {
    pid_t w = waitpid(-1, &st, 0);
    if (w == pid) finish(status_of(st));
    if (w > 0 || errno == EINTR) continue;
    fd_printf(log_fd, "legacyd monitor: lost process %d (not re-parented here): %s\n", (int)pid, strerror(errno));
    finish(255);
  }
}

/* An `x` request: f[0] stdout file, f[1] stderr file, then argv. Never returns. */
static void run(char **f, int nf) __attribute__((noreturn));
static void run(char **f, int nf) {
  if (nf < 3) _exit(127);
  if (open_onto(STDIN_FILENO, "/dev/null", O_RDONLY) != 0) _exit(127);
  if (open_onto(STDOUT_FILENO, f[0], O_WRONLY | O_APPEND | O_CREAT) != 0) open_onto(STDOUT_FILENO, "/dev/null", O_WRONLY);
  if (open_onto(STDERR_FILENO, f[1], O_WRONLY | O_APPEND | O_CREAT) != 0) open_onto(STDERR_FILENO, "/dev/null", O_WRONLY);
  execvp(f[2], f + 2);
  fd_printf(STDERR_FILENO, "legacyd spawner: cannot run %s: %s\n", f[2], strerror(errno));
  _exit(127);
}

static int sigfd = -1;
static sigset_t chld;

/* Reports every child that has exited, with its wait status. */
static void reap(void) {
  int st;
  pid_t p;
  while ((p = waitpid(-1, &st, WNOHANG)) > 0) fd_printf(STDOUT_FILENO, "x %d %d\n", (int)p, st);
}

/* Field 22 of /proc/<pid>/stat (the start time the daemon keeps to know its monitor again). */
static int start_time(pid_t pid, char *out, size_t room) {
  char path[64], buf[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  if (!read_small(path, buf, sizeof buf)) return 0;
  char *p = strrchr(buf, ')'); // comm may hold spaces and parentheses
  if (!p) return 0;
  p++; // the space before field 3
  for (int field = 3; field < 22; field++) { // to the space before field `field + 1`
    p = strchr(p + 1, ' ');
    if (!p) return 0;
  }
  p++;
  size_t k = 0;
  while (p[k] >= '0' && p[k] <= '9' && k + 1 < room) {
    out[k] = p[k];
    k++;
  }
  out[k] = '\0';
  return k > 0 && (p[k] == ' ' || p[k] == '\n' || p[k] == '\0');
}

/* One request: forks the monitor or the command; `p <pid>` (a monitor: `p <pid> <start time>`) or `e <why>`. */
static void handle(char *body, size_t len) {
  int nf = 1;
  for (size_t i = 0; i < len; i++) nf += body[i] == '\0';
  char **f = calloc((size_t)nf + 1, sizeof *f);
  if (!f) {
    fd_printf(STDOUT_FILENO, "e out of memory\n");
    return;
  }
  int k = 0;
  f[k++] = body;
  for (size_t i = 0; i < len; i++)
    if (body[i] == '\0') f[k++] = body + i + 1;
  f[nf] = NULL;
  int is_monitor = strcmp(f[0], "m") == 0;
  pid_t pid = fork();
  if (pid < 0) {
    fd_printf(STDOUT_FILENO, "e fork: %s\n", strerror(errno));
    free(f);
    return;
  }
  if (pid == 0) {
    // What it runs gets no blocked SIGCHLD, no signalfd and no ignored SIGPIPE.
    close(sigfd);
    signal(SIGPIPE, SIG_DFL);
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    // Its own process group (the daemon kills a command's whole group on a timeout), in this
    // helper's session, which has no terminal. Not a session of its own: each new session is a
    // scheduler autogroup, and runc starting in one took ~1 ms more CPU per create (perf).
    setpgid(0, 0);
    if (is_monitor) monitor(f + 1, nf - 1);
    run(f + 1, nf - 1);
  }
  free(f);
  char start[32];
  if (is_monitor && start_time(pid, start, sizeof start)) fd_printf(STDOUT_FILENO, "p %d %s\n", (int)pid, start);
  else fd_printf(STDOUT_FILENO, "p %d\n", (int)pid);
}

int main(int argc, char **argv) {
  if (argc > 1) {
    title_start = argv[0];
    title_room = (size_t)(argv[argc - 1] + strlen(argv[argc - 1]) + 1 - argv[0]);
  }
  int may_reap = argc > 1 && strcmp(argv[1], "1") == 0;
  set_title("legacyd-helper", "legacyd-helper");
  signal(SIGPIPE, SIG_IGN);
  int v = -1;
  int can_reap = may_reap && prctl(PR_GET_CHILD_SUBREAPER, &v, 0, 0, 0) == 0 && v >= 0;
  fd_printf(STDOUT_FILENO, "h %d 1\n", can_reap);
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  if (sigprocmask(SIG_BLOCK, &chld, NULL) != 0) return 1;
  sigfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sigfd < 0) return 1;
  size_t cap = 65536, have = 0;
  char *buf = malloc(cap);
  if (!buf) return 1;
  struct pollfd fds[2] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = sigfd, .events = POLLIN}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (fds[1].revents) {
      struct signalfd_siginfo si;
      while (read(sigfd, &si, sizeof si) > 0) {
      }
      reap();
    }
    if (!fds[0].revents) continue;
    if (cap - have < 65536) {
      char *grown = realloc(buf, cap * 2);
      if (!grown) return 1;
      buf = grown;
      cap *= 2;
    }
    ssize_t n = read(STDIN_FILENO, buf + have, cap - have);
    if (n < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (n == 0) return 0;
    have += (size_t)n;
    // Every complete request in the buffer: `<len>\n<len bytes>`.
    for (;;) {
      size_t i = 0, len = 0;
      while (i < have && buf[i] >= '0' && buf[i] <= '9' && i < 12) len = len * 10 + (size_t)(buf[i++] - '0');
      if (i == have) break;
      if (i == 0 || buf[i] != '\n') return 1;  // not the protocol: the daemon sees it exit
      if (have < i + 1 + len) break;
      char *body = malloc(len + 1);
      if (!body) return 1;
      memcpy(body, buf + i + 1, len);
      body[len] = '\0';
      memmove(buf, buf + i + 1 + len, have - (i + 1 + len));
      have -= i + 1 + len;
      handle(body, len);
      free(body);
    }
  }
}
