package xnet.grammar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import xnet.model.Cidr;
import xnet.model.Ipv4;

class GrammarTest {

    static final Grammar GRAMMAR = new Grammar(List.of(
            CommandSpec.of("bridge add", "<name:NAME> <cidr:CIDR>", "add a bridge"),
            CommandSpec.of("bridge del", "<name:BRIDGE>", "delete a bridge"),
            CommandSpec.of("container add", "<name:NAME> --bridge <bridge:BRIDGE> [--ip <ip:IPV4>]", "add a container"),
            CommandSpec.of("show candidate", "[--json]", "show"),
            CommandSpec.of("commit", "[comment <text:REST>]", "commit"),
            CommandSpec.of("commit check", "", "check"),
            CommandSpec.of("commit confirmed", "<window:DURATION> [comment <text:REST>]", "commit confirmed"),
            CommandSpec.of("commit confirm", "", "confirm"),
            CommandSpec.of("exec", "<endpoint:ENDPOINT> -- <command:REST>", "exec"),
            CommandSpec.of("nat add", "<public:TEXT> -> <private:TEXT> [proto <proto:tcp|udp>]", "nat"),
            CommandSpec.of("rollback", "<number:COMMIT>", "rollback"),
            CommandSpec.of("filter add", "<action:allow|drop> [from <from:PREFIX>] [to <to:PREFIX>]"
                    + " [proto <proto:tcp|udp|icmp>] [port <port:PORTS>]", "add a filter rule"),
            CommandSpec.of("show counters", "[--json] [--watch]", "counters"),
            CommandSpec.of("help", "[<topic:REST>]", "help")));

    private static Invocation parse(String line) {
        return GRAMMAR.parse(Tokenizer.statements(line).get(0));
    }

    @Test
    void aCommitCommentTakesTheRestOfTheStatement() {
        assertThat(parse("commit comment fix the web rule").string("text")).isEqualTo("fix the web rule");
        assertThat(parse("commit comment \"first try\"").string("text")).isEqualTo("first try");
        assertThat(Tokenizer.statements("commit comment two words; show candidate")).hasSize(2);
        assertThat(parse("commit").optional("text", String.class)).isEmpty();
        assertThat(parse("commit").spec().usage()).contains("[comment TEXT...]");
    }

    @Test
    void parsesTypedValuesAndOptionsInAnyOrder() {
        Invocation in = parse("container add web --ip 10.0.1.9 --bridge br1");
        assertThat(in.spec().name()).isEqualTo("container add");
        assertThat(in.string("name")).isEqualTo("web");
        assertThat(in.string("bridge")).isEqualTo("br1");
        assertThat(in.get("ip", Ipv4.class)).isEqualTo(Ipv4.parse("10.0.1.9"));
        assertThat(parse("bridge add br1 10.0.1.0/24").get("cidr", Cidr.class)).hasToString("10.0.1.0/24");
    }

    @Test
    void aConfirmationWindowIsMinutesOrANumberWithItsUnit() {
        assertThat(parse("commit confirmed 10").get("window", java.time.Duration.class)).hasMinutes(10);
        assertThat(parse("commit confirmed 90s comment try").get("window", java.time.Duration.class)).hasSeconds(90);
        assertThat(parse("commit confirmed 2h").get("window", java.time.Duration.class)).hasHours(2);
        assertThat(parse("commit confirm").spec().name()).as("the exact word, not a prefix of 'confirmed'")
                .isEqualTo("commit confirm");
        assertThat(parse("commit confirme 5m").spec().name()).isEqualTo("commit confirmed");
        for (String bad : List.of("5x", "m", "1.5m", "-5", "12345678")) {
            assertThat(catchUsage("commit confirmed " + bad).getMessage()).as(bad)
                    .contains("is not a time: give minutes, or a number with its unit (90s, 10m, 2h)");
        }
    }

    @Test
    void longestCommandWordsWin() {
        assertThat(parse("commit check").spec().name()).isEqualTo("commit check");
        assertThat(parse("commit comment \"first try\"").string("text")).isEqualTo("first try");
    }

    @Test
    void restTakesEverythingAfterTheSeparatorEvenOptionsOfTheCommand() {
        Invocation in = parse("exec client -- ping -c 2 -W 1 10.0.2.2");
        assertThat(in.list("command")).containsExactly("ping", "-c", "2", "-W", "1", "10.0.2.2");
        assertThat(parse("help bridge add").list("topic")).containsExactly("bridge", "add");
        assertThat(parse("help").list("topic")).isEmpty();
    }

    @Test
    void literalsAndChoices() {
        Invocation in = parse("nat add 10.0.0.1:80 -> 10.0.1.2:8080 proto udp");
        assertThat(in.string("public")).isEqualTo("10.0.0.1:80");
        assertThat(in.string("private")).isEqualTo("10.0.1.2:8080");
        assertThat(in.string("proto")).isEqualTo("udp");
        assertThatThrownBy(() -> parse("nat add a => b")).isInstanceOf(UsageException.class)
                .hasMessageContaining("expected '->' but found '=>'");
        assertThatThrownBy(() -> parse("nat add a -> b proto sctp")).hasMessageContaining("not one of tcp, udp");
    }

    @Test
    void errorsSayWhatIsWrongAndShowTheExpectedForm() {
        UsageException missing = (UsageException) catchUsage("container add web");
        assertThat(missing.oneLine()).isEqualTo(
                "missing --bridge BRIDGE (usage: container add NAME --bridge BRIDGE [--ip IP])");
        assertThat(catchUsage("bridge add br1").getMessage()).isEqualTo("missing CIDR");
        assertThat(catchUsage("bridge add br1 10.0.1.0/24 extra").getMessage()).isEqualTo("unexpected 'extra'");
        assertThat(catchUsage("bridge add br1 300.0.1.0/24").getMessage()).contains("octet 300");
        assertThat(catchUsage("container add w --bridge").getMessage()).isEqualTo("--bridge needs a value BRIDGE");
        assertThat(catchUsage("container add w --bridge a --bridge b").getMessage()).isEqualTo("--bridge is given twice");
        assertThat(catchUsage("rollback two").getMessage()).contains("not a whole number");
        assertThat(catchUsage("rollback \uff11").getMessage()).as("a full-width digit").contains("not a whole number");
        assertThat(catchUsage("exec client ping").getMessage()).isEqualTo("expected '--' but found 'ping'");
        assertThat(catchUsage("exec client --").getMessage()).isEqualTo("missing COMMAND");
    }

    @Test
    void uniquePrefixesOfCommandWordsKeywordsAndChoicesStandForThem() {
        assertThat(parse("sh cou --j").spec().name()).isEqualTo("show counters");
        assertThat(parse("sh cou --j").flag("json")).isTrue();
        assertThat(parse("sh can").spec().name()).isEqualTo("show candidate");
        Invocation rule = parse("fil a dr fr 10.0.0.0/8 pr u po 53");
        assertThat(rule.spec().name()).isEqualTo("filter add");
        assertThat(rule.string("action")).isEqualTo("drop");
        assertThat(rule.get("from", Cidr.class)).hasToString("10.0.0.0/8");
        assertThat(rule.string("proto")).isEqualTo("udp");
        assertThat(GRAMMAR.expand(List.of("cont", "a", "pro", "--b", "br1"))).as("a value is never a keyword's prefix")
                .containsExactly("container", "add", "pro", "--bridge", "br1");
        assertThat(parse("commit che").spec().name()).isEqualTo("commit check");
        assertThat(parse("commit comm fix it").string("text")).isEqualTo("fix it");
        assertThat(parse("exec client -- sh -c ls").list("command")).as("exec's argv is taken as typed")
                .containsExactly("sh", "-c", "ls");
    }

    @Test
    void anAmbiguousPrefixListsTheCandidates() {
        assertThat(catchUsage("c").getMessage()).isEqualTo("ambiguous command 'c': it may be commit, container");
        assertThat(catchUsage("s c").getMessage())
                .isEqualTo("ambiguous command 'show c': it may be show candidate, show counters");
        assertThat(catchUsage("commit c").getMessage())
                .isEqualTo("ambiguous command 'commit c': it may be commit check, commit confirm, commit confirmed, commit comment");
        assertThat(catchUsage("filter add drop from 10.0.0.0/8 p 80").getMessage())
                .isEqualTo("ambiguous 'p' in 'filter add': it may be proto, port");
    }

    @Test
    void anArrowWithoutBlanksStillSeparatesANatRule() {
        for (String line : List.of("nat add 10.0.0.1:80->10.0.1.2:8080", "nat add 10.0.0.1:80-> 10.0.1.2:8080",
                "nat add 10.0.0.1:80 ->10.0.1.2:8080")) {
            Invocation in = parse(line);
            assertThat(in.string("public")).as(line).isEqualTo("10.0.0.1:80");
            assertThat(in.string("private")).as(line).isEqualTo("10.0.1.2:8080");
        }
        assertThat(parse("exec client -- echo a->b").list("command")).containsExactly("echo", "a->b");
    }

    @Test
    void unknownCommandsAndSubcommandsListWhatExists() {
        assertThat(catchUsage("frobnicate").getMessage()).contains("unknown command 'frobnicate'");
        assertThat(catchUsage("bridge frob").getMessage())
                .isEqualTo("unknown subcommand 'frob' of 'bridge'; expected one of: bridge add, bridge del");
        assertThat(catchUsage("bridge").getMessage()).startsWith("incomplete command 'bridge'");
        assertThat(catchUsage("show").getMessage()).contains("show candidate");
    }

    @Test
    void usageLinesAreDerivedFromTheSpec() {
        assertThat(GRAMMAR.match(List.of("exec")).orElseThrow().usage()).isEqualTo("exec ENDPOINT -- COMMAND...");
        assertThat(GRAMMAR.match(List.of("show", "candidate")).orElseThrow().usage()).isEqualTo("show candidate [--json]");
        assertThat(GRAMMAR.match(List.of("nat", "add")).orElseThrow().usage())
                .isEqualTo("nat add PUBLIC -> PRIVATE [proto tcp|udp]");
    }

    private static RuntimeException catchUsage(String line) {
        try {
            parse(line);
        } catch (UsageException e) {
            return e;
        }
        throw new AssertionError("no usage error for: " + line);
    }

    @Test
    void aGroupTakesExactlyOneOfItsKeywordsAndShowsAsOneInTheUsage() {
        Grammar grammar = new Grammar(List.of(CommandSpec.of("container attach",
                "<name:NAME> --bridge <bridge:BRIDGE> (--netns <netns:TEXT> | --pid <pid:INT>) [--ifname <ifname:NAME>]",
                "attach")));
        String usage = "container attach NAME --bridge BRIDGE (--netns NETNS | --pid PID) [--ifname IFNAME]";
        assertThat(grammar.specs().get(0).usage()).isEqualTo(usage);
        assertThat(grammar.parse(Tokenizer.statements("container attach db --bridge br1 --pid 7").get(0))
                .optional("pid", Integer.class)).contains(7);
        assertThatThrownBy(() -> grammar.parse(Tokenizer.statements("container attach db --bridge br1").get(0)))
                .hasMessageContaining("missing --netns or --pid");
        assertThatThrownBy(() -> grammar.parse(Tokenizer.statements(
                "container attach db --bridge br1 --pid 7 --netns /run/netns/db").get(0)))
                .hasMessageContaining("give only one of --netns or --pid");
        Completion completion = new Completion(grammar);
        assertThat(completion.complete(List.of("container", "attach", "db", "--bridge", "br1"), "", type -> List.of()))
                .extracting(Suggestion::value).contains("--netns", "--pid");
        assertThat(completion.complete(List.of("container", "attach", "db", "--bridge", "br1", "--pid", "7"), "",
                type -> List.of())).extracting(Suggestion::value).doesNotContain("--netns", "--pid");
    }
}
