package xnet.launch;

import java.util.List;

import xnet.model.Names;

/** The launcher's options, parsed before anything else starts (so --help is instant). */
public record LaunchOptions(String lab, boolean host, String file, String commands, boolean help, boolean version,
                            String uplink, String underlay, String daemon, boolean noDaemon, boolean strict, boolean man,
                            boolean force, boolean json) {

    public static final String DEFAULT_LAB = "lab";

    public static final String USAGE = """
            usage: xnet [--lab NAME [--uplink IP/PREFIX] [--underlay NAME] | --host] [--no-daemon] [--strict] [-f FILE | -c "CMD; CMD"]
                   xnet [--lab NAME | --host] daemon status [--json]|stop [--force]|run|install
                   xnet --test | --help | --version

            Starts the xnet shell on a lab (default: the lab named "lab"), or runs commands.
            Each lab (and the host) is owned by its daemon, xnetd, which holds the running programs
            and serves every shell, -c, -f and the CNI plugin over /run/xnet/TARGET.sock; the
            first command starts it.

              -f, --file FILE     run the commands in FILE, stop at the first error (exit 1); "-"
                                  reads stdin
              -c, --command CMDS  run commands separated by ';' (give it once)
              --strict     with -f or -c: exit 1 when the run ends with uncommitted edits (it
                           always says so on stderr)
              --lab NAME   work on the lab NAME (labs are independent; default "lab")
              --uplink IP/PREFIX  the lab host's address on its outside network (default 10.0.0.1/24)
              --underlay NAME     labs with the same underlay share one outside segment: a
                                  two-host lab on one machine (see tunnel add); the last lab's
                                  'lab destroy' removes it. Both are kept with the lab.
              --host       work on this machine's own network namespace instead of a lab
              --no-daemon  run in this process instead of through xnetd (refused while xnetd runs)
              daemon status   whether the target's xnetd runs, since when, with how many clients
                              (--json: as an object; exit 3 when none runs, as without it)
              daemon stop     stop it (the running programs stay; the next command starts it again);
                              refused while other sessions have uncommitted edits, unless --force
              daemon run      be the daemon, in the foreground (what the first command starts)
              daemon install  a systemd unit that runs it at boot and after a crash (for nodes whose
                              container engine calls the CNI plugin); XNET_UNIT_DIR names another folder
              --test       install what the tests need and run the whole test suite
              --help       this text
              --version    the version

            Environment:
              XNET_HOME    where each target's state, commit history and saved profiles live
                           (default /var/lib/xnet)
              XNET_RUN     where the daemons' sockets, pid files and logs are (default /run/xnet)
              NO_COLOR     no colours even on a terminal
              XNET_DEBUG   print a stack trace with an internal error

            Exit status: 0 success, 1 a command failed, 2 bad options or not root, 3 no daemon
            runs (daemon status); with exec, the status of the command run.""";

    public static LaunchOptions parse(List<String> args) {
        String lab = null;
        boolean host = false;
        String file = null;
        String commands = null;
        boolean help = false;
        boolean man = false;
        boolean version = false;
        String uplink = null;
        String underlay = null;
        String daemon = null;
        boolean noDaemon = false;
        boolean strict = false;
        boolean force = false;
        boolean json = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "-f", "--file" -> file = once(file, value(args, ++i, arg), arg);
                case "-c", "--command" -> commands = once(commands, value(args, ++i, arg), arg);
                case "--lab" -> lab = value(args, ++i, arg);
                case "--host" -> host = true;
                case "--no-daemon" -> noDaemon = true;
                case "--strict" -> strict = true;
                case "--force" -> force = true;
                case "--json" -> json = true;
                case "daemon" -> {
                    daemon = value(args, ++i, arg);
                    if (!List.of("run", "status", "stop", "install").contains(daemon)) {
                        throw new IllegalArgumentException("daemon takes run, status, stop or install, not '" + daemon
                                + "'");
                    }
                }
                case "--uplink" -> uplink = value(args, ++i, arg);
                case "--underlay" -> underlay = value(args, ++i, arg);
                case "-h", "--help" -> help = true;
                case "-V", "--version" -> version = true;
                case "--man" -> man = true;
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'; see xnet --help");
            }
        }
        if (file != null && commands != null) {
            throw new IllegalArgumentException("-f and -c cannot be used together");
        }
        if (daemon != null && (file != null || commands != null || noDaemon)) {
            throw new IllegalArgumentException("daemon " + daemon + " takes no -c, -f or --no-daemon");
        }
        if (force && !"stop".equals(daemon)) {
            throw new IllegalArgumentException("--force goes with daemon stop");
        }
        if (json && !"status".equals(daemon)) {
            throw new IllegalArgumentException("--json goes with daemon status (inside commands: -c 'show running --json')");
        }
        if (strict && file == null && commands == null) {
            throw new IllegalArgumentException("--strict goes with -f or -c");
        }
        if (host && lab != null) {
            throw new IllegalArgumentException("--host and --lab cannot be used together");
        }
        if (lab != null && Names.labNameProblem(lab) != null) {
            throw new IllegalArgumentException(Names.labNameProblem(lab));
        }
        if (host && (uplink != null || underlay != null)) {
            throw new IllegalArgumentException("--uplink and --underlay are for labs, not --host");
        }
        if (uplink != null || underlay != null) {
            xnet.plan.LabNetwork.of(uplink, underlay); // refuse bad values before anything starts
        }
        return new LaunchOptions(lab == null ? DEFAULT_LAB : lab, host, file, commands, help, version, uplink, underlay,
                daemon, noDaemon, strict, man, force, json);
    }

    /** -c and -f are taken once: a second one would silently replace the first. */
    private static String once(String before, String value, String option) {
        if (before != null) {
            throw new IllegalArgumentException(option + " is given twice: " + (option.equals("-c")
                    || option.equals("--command") ? "put the commands in one, separated by ';'"
                    : "run one file, and 'source' the others from it"));
        }
        return value;
    }

    private static String value(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value; see xnet --help");
        }
        return args.get(index);
    }

    public String target() {
        return host ? "host" : lab;
    }

    /** The options that name the target (and how to make its lab), as a started daemon gets them. */
    public List<String> targetArgs() {
        if (host) {
            return List.of("--host");
        }
        List<String> args = new java.util.ArrayList<>(List.of("--lab", lab));
        if (uplink != null) {
            args.addAll(List.of("--uplink", uplink));
        }
        if (underlay != null) {
            args.addAll(List.of("--underlay", underlay));
        }
        return args;
    }
}
