package xnet.shell;

import java.util.List;

/** A Spring bean contributing commands of one area (topology, commit, lab, profiles, help). */
public interface CommandGroup {

    List<CommandDef> commands();
}
