package xnet.compile;

import java.util.ArrayList;
import java.util.List;

import xnet.model.PortRange;

/**
 * Splits a port range into aligned power-of-two blocks (value, prefix length over 16 bits), so
 * that a range becomes a few exact lookups: 1000-2000 is 7 blocks, any range at most 30.
 */
public final class PortBlocks {

    public record Block(int value, int prefix) {

        public int mask() {
            return PortBlocks.mask(prefix);
        }
    }

    private PortBlocks() {
    }

    /** The 16-bit mask of a port block's prefix length (ports are 16 bits; addresses use Cidr.mask). */
    public static int mask(int prefix) {
        return prefix == 0 ? 0 : (0xffff << (16 - prefix)) & 0xffff;
    }

    public static List<Block> of(PortRange range) {
        List<Block> blocks = new ArrayList<>();
        long low = range.from();
        long high = range.to();
        while (low <= high) {
            int size = 0;
            // grow the block while it stays aligned at low and inside the range
            while (size < 16 && (low & ((1L << (size + 1)) - 1)) == 0 && low + (1L << (size + 1)) - 1 <= high) {
                size++;
            }
            blocks.add(new Block((int) low, 16 - size));
            low += 1L << size;
        }
        return blocks;
    }
}
