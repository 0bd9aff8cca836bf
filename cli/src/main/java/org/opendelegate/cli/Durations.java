package org.opendelegate.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --timeout} values the way people write them: {@code 90s}, {@code 10m}, {@code 1h}, or seconds. */
final class Durations implements ITypeConverter<Integer> {
    private static final Pattern FORM = Pattern.compile("(\\d{1,7})([smh]?)");

    @Override
    public Integer convert(String value) {
        Matcher m = FORM.matcher(value.trim());
        if (!m.matches()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration: write it as 90s, 10m, 1h or a number of seconds");
        }
        long amount = Long.parseLong(m.group(1));
        long seconds = switch (m.group(2)) {
            case "m" -> amount * 60;
            case "h" -> amount * 3600;
            default -> amount;
        };
        if (seconds < 1 || seconds > Integer.MAX_VALUE) {
            throw new TypeConversionException("'" + value + "' must be at least one second");
        }
        return (int) seconds;
    }
}
