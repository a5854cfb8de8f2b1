/*
 * xnet-client: xnetd's small client, so that a one-line command and a CNI call cost no JVM.
 *
 * Run by the launcher for `xnet [--lab NAME | --host] -c CMDS | -f FILE | daemon status|stop`,
 * and installed as `xnet-cni`, the CNI plugin: then it forwards the CNI_* environment and the
 * network config on stdin. The frame format is xnet.daemon.Frame's: a type byte, a 4-byte
 * big-endian length, the payload.
 *
 * Exit status: the command's; 64 when the arguments are not ones this client takes (the
 * launcher then runs the Java front end, which explains them); 75 when no daemon listens (the
 * launcher then runs the Java front end, which starts one).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define EX_NOT_MINE 64
/* xnet.shell.ScriptText.MAX_BYTES */
#define MAX_SCRIPT (16u << 20)
#define EX_NO_DAEMON 75

/* Frame types, as xnet.daemon.Frame names them (FrameLettersTest holds the two to one another). */
#define FRAME_HELLO 'H'
#define FRAME_LINE 'L'
#define FRAME_ENV 'E'
#define FRAME_INPUT 'I'
#define FRAME_END '.'
#define FRAME_OUT 'O'
#define FRAME_ERR 'R'
#define FRAME_EXIT 'X'
#define FRAME_NEED_INPUT 'N'
#define FRAME_NO_INPUT 'U'
#define FRAME_BASE 'G'


extern char **environ;

static void die_io(const char *what)
{
	fprintf(stderr, "xnet: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die_io("write");
		p += n;
		len -= (size_t)n;
	}
}

static int read_all(int fd, void *buf, size_t len)
{
	char *p = buf;
	while (len > 0) {
		ssize_t n = read(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Set once the daemon has closed its side: it refused us or ended the session, and what it
 * said is still to be read, so later frames are dropped instead of ending this process. */
static int daemon_gone;

static void send_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len > 0 && !daemon_gone) {
		ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {
			daemon_gone = 1;
			return;
		}
		if (n <= 0)
			die_io("write");
		p += n;
		len -= (size_t)n;
	}
}

static void send_frame(int fd, char type, const void *payload, size_t len)
{
	unsigned char head[5];
	uint32_t be = htonl((uint32_t)len);
	head[0] = (unsigned char)type;
	memcpy(head + 1, &be, 4);
	send_all(fd, head, 5);
	if (len)
		send_all(fd, payload, len);
}

static void send_text(int fd, char type, const char *text)
{
	send_frame(fd, type, text, strlen(text));
}

/* Reads the whole of a file descriptor; NUL-terminated. */
static char *slurp(int fd, size_t *len)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		die_io("malloc");
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return NULL;
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			if (!buf)
				die_io("realloc");
		}
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static int connect_to(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;
	if (strlen(path) >= sizeof(addr.sun_path))
		return -1;
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Why this run's commands cannot read our standard input (NULL: they can); see send_input. */
static const char *input_refusal = "standard input is the terminal the commands come from";

/* Set while our standard input goes to xnetd: it asked (N), and EOF has not come. */
static int forwarding;

/* xnetd asks for standard input (a command reads "-", or an exec runs): from now on the wait for
 * xnetd (await_daemon) sends what standard input gives, as it comes, at most 64 KiB a frame (I),
 * then an empty one at its end; or why there is none (U). Sent as it comes, not read whole first:
 * an exec's command answers while its input still flows, and an input that never ends (a pipe
 * left open) cannot hold up the run. */
static void send_input(int fd)
{
	const char *refusal = input_refusal;
	input_refusal = "standard input was read by an earlier command";
	if (refusal) {
		send_text(fd, FRAME_NO_INPUT, refusal);
		return;
	}
	forwarding = 1;
}

/* Standard input has something, or its end: one frame of it. */
static void forward_input(int fd)
{
	static char piece[1 << 16];
	ssize_t r = read(0, piece, sizeof(piece));
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r < 0) {
		send_text(fd, FRAME_NO_INPUT, "cannot read standard input");
		forwarding = 0;
		return;
	}
	send_frame(fd, FRAME_INPUT, piece, (size_t)r);
	if (r == 0)
		forwarding = 0;
}

/* Waits until xnetd says something. xnetd sends ALIVE frames while a command runs
 * (xnet.daemon.Frame.ALIVE_MS): silence for SILENCE_MS means it is stopped or hung, not busy,
 * and the user is told once, and that Ctrl-C ends the wait (SIGINT's default action here). */
#define SILENCE_MS 5000
static void await_daemon(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct pollfd both[2] = { p, { .fd = 0, .events = POLLIN } };
	int told = 0;
	for (;;) {
		int n = poll(both, forwarding ? 2 : 1, SILENCE_MS);
		if (n > 0 && forwarding && both[1].revents) {
			forward_input(fd);
			if (!both[0].revents)
				continue;
		}
		if (n > 0 || (n < 0 && errno != EINTR))
			return;
		if (n == 0 && !told) {
			fprintf(stderr, "xnet: xnetd has not answered for %d s: it is stopped or hung; still waiting"
				" (Ctrl-C ends the wait)\n", SILENCE_MS / 1000);
			told = 1;
		}
	}
}

/* The running commit's number as the run began (xnetd's BASE frame); -1 before it came. */
static long run_base = -1;
/* Set when xnetd went away before the run's EXIT. */
static int lost_connection;

static int connect_to(const char *path);
static void send_text(int fd, char type, const char *text);
static const char *run_dir(void);

/* Starts xnetd for the target as the Java front end would (xnet.client.DaemonStarter: this
 * jar's `daemon run` in a session of its own, its output appended to the run folder's log), when
 * the launcher said where the jar is (XNET_ROOT). A daemon that finds another owner exits at once,
 * so starting one beside a service manager's restart is harmless. */
static void start_daemon(const char *target)
{
	const char *root = getenv("XNET_ROOT");
	char jar[4096], log[4096];
	pid_t pid;
	if (!root || !*root)
		return;
	snprintf(jar, sizeof(jar), "%s/shell/target/xnet.jar", root);
	snprintf(log, sizeof(log), "%s/%s.log", run_dir(), target);
	pid = fork();
	if (pid != 0)
		return;
	setsid();
	int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int out = open(log, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (in < 0 || out < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(out, 2) < 0)
		_exit(1);
	if (strcmp(target, "host") == 0)
		execlp("java", "java", "-XX:+UseParallelGC", "-jar", jar, "--host", "daemon", "run", (char *)NULL);
	else
		execlp("java", "java", "-XX:+UseParallelGC", "-jar", jar, "--lab", target, "daemon", "run", (char *)NULL);
	_exit(127);
}

/* xnetd went away mid-run (killed, or stopped): whether the run's commit was recorded is what the
 * user needs to know. The next xnetd (a service manager's restart, another client's start) settles
 * a commit cut short before it listens, so its running commit against the run's BASE tells: starts
 * one, waits up to RECONNECT_S for it, asks once, and says it; without one, says how to learn it. */
#define RECONNECT_S 30
static void report_after_loss(const char *socket_path, const char *target)
{
	char answer[64];
	start_daemon(target);
	for (int i = 0; i < RECONNECT_S * 10; i++) {
		int fd = connect_to(socket_path);
		if (fd >= 0) {
			ssize_t n;
			size_t got = 0;
			unsigned char head[5];
			uint32_t be;
			send_text(fd, FRAME_HELLO, "mode=generation\n");
			/* the answer: one OUT frame with the number, then EXIT */
			if (read_all(fd, head, 5) == 0 && head[0] == FRAME_OUT) {
				memcpy(&be, head + 1, 4);
				n = (ssize_t)ntohl(be);
				if (n > 0 && (size_t)n < sizeof(answer) && read_all(fd, answer, (size_t)n) == 0)
					got = (size_t)n;
			}
			close(fd);
			if (got) {
				long now;
				answer[got] = '\0';
				now = atol(answer);
				if (now > run_base)
					fprintf(stderr, "xnet: the run's commit was recorded: the running config is now commit %ld"
						" (it was %ld when the run began)\n", now, run_base);
				else
					fprintf(stderr, "xnet: not committed: the running config is still commit %ld\n", now);
				return;
			}
		}
		usleep(100000);
	}
	fprintf(stderr, "xnet: no xnetd answered within %d s, so whether the run's commit was recorded is not known"
		" yet: the next xnet command starts one, which settles it ('history' shows it; the run began at"
		" commit %ld)\n", RECONNECT_S, run_base);
}

/* Copies OUT and ERR frames to stdout and stderr until EXIT; returns its status. */
static int pump(int fd)
{
	for (;;) {
		unsigned char head[5];
		uint32_t be;
		size_t len;
		char *payload;
		await_daemon(fd);
		if (read_all(fd, head, 5) < 0) {
			fprintf(stderr, "xnet: xnetd closed the connection\n");
			lost_connection = 1;
			return 1;
		}
		memcpy(&be, head + 1, 4);
		len = ntohl(be);
		if (len > (16u << 20)) {
			fprintf(stderr, "xnet: bad frame from xnetd\n");
			return 1;
		}
		payload = malloc(len + 1);
		if (!payload || read_all(fd, payload, len) < 0) {
			fprintf(stderr, "xnet: xnetd closed the connection\n");
			lost_connection = 1;
			return 1;
		}
		payload[len] = '\0';
		switch (head[0]) {
		case FRAME_OUT:
			write_all(1, payload, len);
			break;
		case FRAME_ERR:
			write_all(2, payload, len);
			break;
		case FRAME_EXIT: {
			int status = atoi(payload);
			free(payload);
			return status;
		}
		case FRAME_NEED_INPUT:
			send_input(fd);
			break;
		case FRAME_BASE:
			run_base = atol(payload);
			break;
		default:
			break;
		}
		free(payload);
	}
}

static int lab_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n < 1 || n > 24)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

static const char *run_dir(void)
{
	const char *run = getenv("XNET_RUN");
	return run && *run ? run : "/run/xnet";
}

/* Whether the run folder is root's alone (xnet.state.TrustedFolders): the folder itself a real
 * folder of root's that group and others may not write, and every folder above it root's and
 * writable by others only with the sticky bit. A socket in a folder another user controls could
 * be that user's own: the client then leaves the refusal to the Java front end, which says why. */
static int run_dir_trusted(const char *dir)
{
	char path[4096];
	struct stat st;
	size_t n = strlen(dir);
	if (dir[0] != '/' || n >= sizeof(path))
		return 0;
	if (lstat(dir, &st) == 0 && (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022)))
		return 0;
	memcpy(path, dir, n + 1);
	for (char *slash = strrchr(path, '/'); slash; slash = strrchr(path, '/')) {
		*slash = '\0';
		if (stat(*path ? path : "/", &st) == 0 && (st.st_uid != 0 ||
		    ((st.st_mode & 022) && !(st.st_mode & S_ISVTX))))
			return 0;
		if (!*path)
			break;
	}
	return 1;
}

static int colour(void)
{
	const char *term = getenv("TERM");
	return isatty(1) && !getenv("NO_COLOR") && !(term && strcmp(term, "dumb") == 0);
}

/* Sends each line of a script (split at '\n') as a LINE frame, by length: a NUL byte in a line
 * goes to xnetd with the rest of it, which refuses the script with the NUL's place (a C string
 * would end the line there and run a shorter, wider rule). */
static void send_lines(int fd, const char *text, size_t len)
{
	const char *line = text, *end = text + len;
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
		send_frame(fd, FRAME_LINE, line, n);
		if (!nl)
			break;
		line = nl + 1;
	}
}

static int launcher_client(int argc, char **argv)
{
	const char *target = "lab", *commands = NULL, *file = NULL, *daemon = NULL;
	char socket_path[4096], hello[8192], cwd[4096];
	int fd, i;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--lab") == 0 && i + 1 < argc)
			target = argv[++i];
		else if (strcmp(argv[i], "--host") == 0)
			target = "host";
		/* a second -c or -f: the Java front end refuses it (one would replace the other) */
		else if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--command") == 0) && i + 1 < argc && !commands)
			commands = argv[++i];
		else if ((strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--file") == 0) && i + 1 < argc && !file)
			file = argv[++i];
		else if (strcmp(argv[i], "daemon") == 0 && i + 1 < argc &&
			 (strcmp(argv[i + 1], "status") == 0 || strcmp(argv[i + 1], "stop") == 0))
			daemon = argv[++i];
		else
			return EX_NOT_MINE;
	}
	if (!!commands + !!file + !!daemon != 1 || (strcmp(target, "host") != 0 && !lab_name_ok(target)))
		return EX_NOT_MINE;
	/* before standard input is read: the Java front end reads it for its refusal's sake too */
	if (!run_dir_trusted(run_dir()))
		return EX_NOT_MINE;
	char *script = NULL;
	size_t script_len = 0;
	if (file) {
		int in;
		if (strcmp(file, "-") == 0 && fcntl(0, F_GETFD) < 0) {
			fprintf(stderr, "error: -f -: standard input is closed\n");
			return 1;
		}
		in = strcmp(file, "-") == 0 ? 0 : open(file, O_RDONLY | O_CLOEXEC);
		script = in < 0 ? NULL : slurp(in, &script_len);
		if (in == 0 && (!script || script_len > MAX_SCRIPT)) {
			/* stdin is read now: the Java front end could not read it again */
			fprintf(stderr, script ? "<stdin>: larger than 16 MiB: split it into files run with 'source'\n"
					       : "error: -f -: cannot read standard input\n");
			return 1;
		}
		/* a file unreadable or over xnetd's limit: the Java front end says why, as for every other error */
		if (!script || script_len > MAX_SCRIPT)
			return EX_NOT_MINE;
	}
	snprintf(socket_path, sizeof(socket_path), "%s/%s.sock", run_dir(), target);
	fd = connect_to(socket_path);
	if (fd < 0)
		return EX_NO_DAEMON;
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, "/");
	if (daemon) {
		snprintf(hello, sizeof(hello), "mode=%s\n", daemon);
		send_text(fd, FRAME_HELLO, hello);
		return pump(fd);
	}
	snprintf(hello, sizeof(hello), "mode=run\ncwd=%s\ncolour=%d\nname=%s\n", cwd, colour(),
		 file ? (strcmp(file, "-") == 0 ? "<stdin>" : file) : "");
	send_text(fd, FRAME_HELLO, hello);
	input_refusal = file && strcmp(file, "-") == 0 ? "standard input is the script (-f -)"
			: fcntl(0, F_GETFD) < 0 ? "standard input is closed" : NULL;
	if (file)
		send_lines(fd, script, script_len);
	else
		send_text(fd, FRAME_LINE, commands);
	send_text(fd, FRAME_END, "");
	int status = pump(fd);
	if (lost_connection && run_base >= 0)
		report_after_loss(socket_path, target);
	return status;
}

static char cni_version[32] = "1.1.0";

/* Prints a CNI error result (the spec's format) and returns the plugin's exit status. */
static int cni_error(int code, const char *msg, const char *details)
{
	printf("{\"cniVersion\":\"%s\",\"code\":%d,\"msg\":\"%s\",\"details\":\"%s\"}\n",
	       cni_version, code, msg, details);
	return 1;
}

/* The string value of "key" in a JSON text, for the one field this thin plugin reads itself. */
static int json_string(const char *json, const char *key, char *out, size_t cap)
{
	char quoted[128];
	const char *p;
	snprintf(quoted, sizeof(quoted), "\"%s\"", key);
	for (p = strstr(json, quoted); p; p = strstr(p + 1, quoted)) {
		const char *v = p + strlen(quoted);
		size_t n = 0;
		while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
			v++;
		if (*v != ':')
			continue;
		v++;
		while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
			v++;
		if (*v != '"')
			continue;
		for (v++; *v && *v != '"' && n + 1 < cap; v++)
			out[n++] = *v;
		out[n] = '\0';
		return 1;
	}
	return 0;
}

/* Braces at both ends: enough to tell a config without our field from text that is no JSON at all. */
static int looks_like_object(const char *text)
{
	const char *end = text + strlen(text);
	while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
		text++;
	while (end > text && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		end--;
	return end - text >= 2 && *text == '{' && end[-1] == '}';
}

static int cni_plugin(void)
{
	const char *command = getenv("CNI_COMMAND");
	char socket_path[4096];
	size_t conf_len = 0;
	char *conf;
	int fd;
	conf = slurp(0, &conf_len);
	if (!conf)
		return cni_error(6, "cannot read the network configuration on stdin", strerror(errno));
	json_string(conf, "cniVersion", cni_version, sizeof(cni_version));
	if (command && strcmp(command, "VERSION") == 0) {
		/* answered here: a runtime may ask before any daemon runs */
		printf("{\"cniVersion\":\"%s\",\"supportedVersions\":[\"0.4.0\",\"1.0.0\",\"1.1.0\"]}\n",
		       cni_version);
		return 0;
	}
	if (!json_string(conf, "socket", socket_path, sizeof(socket_path)) && !looks_like_object(conf))
		return cni_error(6, "the network configuration is not a JSON object", "");
	if (!json_string(conf, "socket", socket_path, sizeof(socket_path)))
		return cni_error(7, "the network configuration names no xnetd socket",
				 "xnet's conflist has \\\"socket\\\"; write it with the xnet command 'cni install'");
	fd = connect_to(socket_path);
	if (fd < 0)
		/* STATUS: 50, "the plugin is not available"; anything else: 11, "try again later" */
		return cni_error(command && strcmp(command, "STATUS") == 0 ? 50 : 11, "xnetd is not running",
				 "no daemon listens on the configured socket; any xnet command for the target starts it");
	char hello[64];
	/* xnetd opens CNI_NETNS through /proc/PID/root: this process's mount namespace, the runtime's */
	snprintf(hello, sizeof(hello), "mode=cni\npid=%ld\n", (long)getpid());
	send_text(fd, FRAME_HELLO, hello);
	for (char **e = environ; *e; e++)
		if (strncmp(*e, "CNI_", 4) == 0)
			send_text(fd, FRAME_ENV, *e);
	send_frame(fd, FRAME_INPUT, conf, conf_len);
	send_text(fd, FRAME_END, "");
	return pump(fd);
}

int main(int argc, char **argv)
{
	const char *self = strrchr(argv[0], '/');
	self = self ? self + 1 : argv[0];
	if (strcmp(self, "xnet-cni") == 0 || getenv("CNI_COMMAND"))
		return cni_plugin();
	return launcher_client(argc, argv);
}
