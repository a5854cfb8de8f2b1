package xnet.session;

import java.util.List;
import java.util.Map;

/**
 * What a dry run of the candidate's programs found: the strategy and why, where each attach
 * point's program would run, the generated header, the size of the maps, and the verifier's
 * verdict on each program. Nothing was attached to produce it.
 */
public record PreviewReport(String strategy, String reason, Map<String, String> attachPoints, String header,
                            int ruleEntries, int tuples, int natEntries, long mapBytes, List<Program> programs) {

    public record Program(String hook, String file, boolean verified, String verdict, int verifiedInstructions,
                          int translatedBytes, int jitedBytes) {
    }

    public boolean allVerified() {
        return programs.stream().allMatch(Program::verified);
    }
}
