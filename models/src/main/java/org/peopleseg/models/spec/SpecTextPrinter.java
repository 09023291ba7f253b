package org.peopleseg.models.spec;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints a spec message in TAO's own style rather than protobuf's default: {@code True}/{@code False}, numbers
 * in plain decimal ({@code 0.0001}, not {@code 1.0E-4}), scalar fields before sections, only the fields that are
 * set. protobuf's printer would be valid too, but a spec is a file people read and edit.
 */
final class SpecTextPrinter {

    private SpecTextPrinter() {}

    static String print(Message message) {
        StringBuilder out = new StringBuilder();
        print(message, "", out);
        return out.toString();
    }

    private static void print(Message message, String indent, StringBuilder out) {
        List<FieldDescriptor> sections = new ArrayList<>();
        for (FieldDescriptor f : message.getDescriptorForType().getFields()) {
            if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                sections.add(f);
                continue;
            }
            if (f.isRepeated()) {
                for (int i = 0; i < message.getRepeatedFieldCount(f); i++) {
                    out.append(indent).append(f.getName()).append(": ").append(scalar(f, message.getRepeatedField(f, i))).append('\n');
                }
            } else if (message.hasField(f)) {
                out.append(indent).append(f.getName()).append(": ").append(scalar(f, message.getField(f))).append('\n');
            }
        }
        for (FieldDescriptor f : sections) {
            List<Message> values = new ArrayList<>();
            if (f.isRepeated()) {
                for (int i = 0; i < message.getRepeatedFieldCount(f); i++) {
                    values.add((Message) message.getRepeatedField(f, i));
                }
            } else if (message.hasField(f)) {
                values.add((Message) message.getField(f));
            }
            for (Message value : values) {
                out.append('\n').append(indent).append(f.getName()).append(" {\n");
                print(value, indent + "  ", out);
                out.append(indent).append("}\n");
            }
        }
    }

    private static String scalar(FieldDescriptor f, Object value) {
        return switch (f.getJavaType()) {
            case BOOLEAN -> (Boolean) value ? "True" : "False";
            case FLOAT -> number(((Float) value).toString());
            case DOUBLE -> number(((Double) value).toString());
            case INT -> f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
                    ? Integer.toUnsignedString((Integer) value) : value.toString();
            case LONG -> f.getType() == FieldDescriptor.Type.UINT64 || f.getType() == FieldDescriptor.Type.FIXED64
                    ? Long.toUnsignedString((Long) value) : value.toString();
            case STRING -> "\"" + TextFormat.escapeBytes(ByteString.copyFromUtf8((String) value)) + "\"";
            case BYTE_STRING -> "\"" + TextFormat.escapeBytes((ByteString) value) + "\"";
            case ENUM -> ((EnumValueDescriptor) value).getName();
            case MESSAGE -> throw new IllegalArgumentException("not a scalar: " + f.getName());
        };
    }

    /** Java's shortest round-trip form, in plain notation: "1.0E-4" becomes "0.0001", "10.0" stays. */
    static String number(String javaForm) {
        if (javaForm.contains("E")) {
            String plain = new BigDecimal(javaForm).toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        return javaForm;
    }

    /** A double for a tuple string: integers without a fraction ("960"), others in plain shortest form. */
    static String tupleNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return number(Double.toString(v));
    }
}
