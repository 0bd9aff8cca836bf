package org.opendelegate.delegate.config;

/** IPv4 CIDR matching for {@code NO_PROXY}, done on the literal text so that no DNS lookup happens. */
final class Ipv4Cidr {
    private Ipv4Cidr() {}

    static boolean contains(String cidr, String host) {
        int slash = cidr.indexOf('/');
        long network = parse(cidr.substring(0, slash));
        long address = parse(host);
        int bits;
        try {
            bits = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            return false;
        }
        if (network < 0 || address < 0 || bits < 0 || bits > 32) {
            return false;
        }
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (network & mask) == (address & mask);
    }

    /** The address as an unsigned number, or -1 when the text is not a dotted IPv4 address. */
    static long parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return -1;
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                return -1;
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                return -1;
            }
            value = (value << 8) | octet;
        }
        return value;
    }
}
