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
        return List.of(CommandDef.of(CommandSpec.of("test packet", "from <from:TEXT> to <to:TEXT> [proto <proto:tcp|udp|icmp|icmpv6>]"
                        + " [on <point:ATTACH>] [size <size:INT>] [flags <flags:TEXT>] [--candidate] [--json]",
                "what a packet would meet: the program attached now decides it, counting nothing",
                "FROM and TO are IP or IP:PORT, for IPv6 ADDR or [ADDR]:PORT (with ports the protocol is tcp"
                        + " unless given, without them an ICMP or ICMPv6 echo). It enters where a packet from FROM"
                        + " would (its container, else the uplink) unless 'on' names the point; size is the frame's"
                        + " bytes (64, or the least an IPv6 one takes); flags are TCP's, e.g. syn,ack (syn)."
                        + " Prints the verdict, the rule that decided, the NAT rewrite and the counters a real packet"
                        + " would move. --candidate asks the candidate's program, loaded for it and not attached."),
                this::testPacket));
    }

    private int testPacket(Invocation in, Console console) throws Exception {
        Endpoint from = Endpoint.parse(in.string("from"));
        Endpoint to = Endpoint.parse(in.string("to"));
        boolean ports = from.port() != 0 || to.port() != 0;
        boolean v6 = from.ip6() != null;
        Proto proto = in.optional("proto", String.class).map(Proto::parse)
                .orElse(ports ? Proto.TCP : v6 ? Proto.ICMPV6 : Proto.ICMP);
        ProbePacket packet = new ProbePacket(from.ip(), from.port(), to.ip(), to.port(), proto,
                in.optional("size", Integer.class).orElse(ProbePacket.defaultSize(proto, v6)),
                ProbePacket.flags(in.optional("flags", String.class).orElse(null)), from.ip6(), to.ip6());
        WhatIf answer = target.testPacket(packet, in.optional("point", String.class).orElse(null),
                in.flag("candidate"));
        if (in.flag("json")) {
            console.println(Json.pretty(JsonViews.whatIf(answer)));
        } else {
            answer.lines().forEach(console::println);
        }
        return 0;
    }

    /** FROM or TO as typed: IP or IP:PORT, an IPv6 address alone or in brackets with a port ([fd00:1::2]:80). */
    record Endpoint(xnet.model.Ipv4 ip, xnet.model.Ipv6 ip6, int port) {

        static Endpoint parse(String text) {
            NatEndpoint e = NatEndpoint.parse(text);
            return e.ip() instanceof xnet.model.Ipv6 v6 ? new Endpoint(null, v6, e.port())
                    : new Endpoint((xnet.model.Ipv4) e.ip(), null, e.port());
        }
    }
}
