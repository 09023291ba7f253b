package org.peopleseg.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A network input size given as {@code WxH} on the command line, e.g. {@code 960x576}. */
record InputSize(int width, int height) {
    static final int MAX_SIDE = 8192;
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,5})[xX](\\d{1,5})");

    InputSize {
        if (width < 32 || height < 32 || width > MAX_SIDE || height > MAX_SIDE) {
            throw new IllegalArgumentException("sides must be between 32 and " + MAX_SIDE + " pixels, got "
                    + width + "x" + height);
        }
    }

    static InputSize parse(String text) {
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not WIDTHxHEIGHT, e.g. 960x576");
        }
        return new InputSize(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%dx%d", width, height);
    }

    /** picocli converter: a bad value becomes a usage error naming the option. */
    static final class Converter implements ITypeConverter<InputSize> {
        @Override
        public InputSize convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
