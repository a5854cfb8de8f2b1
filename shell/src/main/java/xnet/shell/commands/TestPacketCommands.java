package xnet.shell.commands;

import java.util.List;

import xnet.datapath.ProbePacket;
import xnet.datapath.WhatIf;
import xnet.grammar.CommandSpec;
import xnet.grammar.Invocation;
import xnet.model.NatEndpoint;
import xnet.model.Proto;
import xnet.render.JsonViews;
import xnet.service.TargetService;
import xnet.shell.CommandDef;
import xnet.shell.CommandGroup;
import xnet.shell.Console;
import xnet.state.Json;

/** `test packet`: a what-if packet through the program that runs now, nothing counted. */
public class TestPacketCommands implements CommandGroup {

    private final TargetService target;

    public TestPacketCommands(TargetService target) {
        this.target = target;
    }

    @Override
    public List<CommandDef> commands() {
        return List.of(CommandDef.of(CommandSpec.of("test packet", "from <from:TEXT> to <to:TEXT> [proto <proto:tcp|udp|icmp>]"
                        + " [on <point:ATTACH>] [size <size:INT>] [flags <flags:TEXT>] [--candidate] [--json]",
                "what a packet would meet: the program attached now decides it, counting nothing",
                "FROM and TO are IP or IP:PORT (with ports the protocol is tcp unless given, without them an ICMP"
                        + " echo). It enters where a packet from FROM would (its container, else the uplink) unless"
                        + " 'on' names the point; size is the frame's bytes (64); flags are TCP's, e.g. syn,ack (syn)."
                        + " Prints the verdict, the rule that decided, the NAT rewrite and the counters a real packet"
                        + " would move. --candidate asks the candidate's program, loaded for it and not attached."),
                this::testPacket));
    }

    private int testPacket(Invocation in, Console console) throws Exception {
        NatEndpoint from = NatEndpoint.parse(in.string("from"));
        NatEndpoint to = NatEndpoint.parse(in.string("to"));
        boolean ports = from.port() != 0 || to.port() != 0;
        Proto proto = in.optional("proto", String.class).map(Proto::parse).orElse(ports ? Proto.TCP : Proto.ICMP);
        ProbePacket packet = new ProbePacket(from.ip(), from.port(), to.ip(), to.port(), proto,
                in.optional("size", Integer.class).orElse(ProbePacket.DEFAULT_SIZE),
                ProbePacket.flags(in.optional("flags", String.class).orElse(null)));
        WhatIf answer = target.testPacket(packet, in.optional("point", String.class).orElse(null),
                in.flag("candidate"));
        if (in.flag("json")) {
            console.println(Json.pretty(JsonViews.whatIf(answer)));
        } else {
            answer.lines().forEach(console::println);
        }
        return 0;
    }
}
