package org.peopleseg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.peopleseg.core.licence.LicenceNotice;
import org.peopleseg.runtime.model.ModelMetadata;
import org.peopleseg.runtime.onnx.proto.Onnx.ModelProto;
import org.peopleseg.runtime.onnx.proto.Onnx.StringStringEntryProto;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code peopleseg models}: the model packages in a directory and what each is. */
@Command(name = "models",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {
                "List the model packages in a directory (default: the current one) or given as files: "
                        + "architecture, input size, precision, classes, provenance and licence.",
                "",
                "'peopleseg models available' lists the catalogue of pretrained models and sample files; "
                        + "'peopleseg models pull NAME' downloads, verifies and packages one.",
                "",
                "Reads only the ONNX metadata (no model is loaded). Other .onnx files are listed as not being "
                        + "peopleseg packages.",
                ""},
        subcommands = {ModelsAvailableCommand.class, ModelsPullCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  peopleseg models", "  peopleseg models ~/models people.onnx", "  peopleseg models available",
                "  peopleseg models pull yolo11n-seg"})
final class ModelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR|MODEL.onnx", arity = "0..*",
            description = "Directories to list (not recursive) or package files (default: .).")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths == null || paths.isEmpty() ? List.of(Path.of(".")) : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".onnx"))
                            .filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new NoSuchFileException(p.toString(), null, "no such file or directory");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (files.isEmpty()) {
            out.println("No .onnx model packages found. Make one with 'peopleseg build' or 'peopleseg import'.");
            out.flush();
            return Main.OK;
        }
        for (Path f : files) {
            out.println(describe(f));
        }
        out.flush();
        return Main.OK;
    }

    /** One entry: the file and its metadata, or why it is not a package. */
    static String describe(Path file) {
        Map<String, String> props;
        try {
            props = metadata(file);
        } catch (IOException e) {
            return file + "\n    not readable as ONNX: " + e.getMessage();
        }
        ModelMetadata m;
        try {
            m = ModelMetadata.fromProperties(props);
        } catch (IllegalArgumentException e) {
            return file + "\n    not a peopleseg package (" + e.getMessage() + ")";
        }
        List<String> labels = m.labels();
        String classes = labels.size() > 8 ? labels.size() + " (" + String.join(", ", labels.subList(0, 5)) + ", ...)"
                : String.join(", ", labels);
        long bytes;
        try {
            bytes = Files.size(file);
        } catch (IOException e) {
            bytes = -1;
        }
        return String.format(Locale.ROOT, "%s%n    architecture %s, input %dx%d (%s), %s, %.1f MB%n    classes: %s%n"
                        + "    provenance: %s%n    licence: %s%s",
                file, m.architecture(), m.inputWidth(), m.inputHeight(), m.resize(), m.precision(), bytes / 1e6,
                classes, m.provenance(), licence(m.licence()),
                m.source() == null ? "" : String.format("%n    source: %s", m.source().describe()));
    }

    /** The recorded licence, with what it means where that matters (copyleft, or not known). */
    static String licence(String recorded) {
        String remark = LicenceNotice.remark(recorded);
        return remark.isEmpty() ? recorded : recorded + " (" + remark + ")";
    }

    /** The metadata_props of an ONNX file, read with protobuf (the graph is parsed but no session is made). */
    static Map<String, String> metadata(Path file) throws IOException {
        ModelProto model;
        try (var in = Files.newInputStream(file)) {
            model = ModelProto.parseFrom(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IOException("not an ONNX model (" + e.getMessage() + ")", e);
        }
        Map<String, String> props = new java.util.LinkedHashMap<>();
        for (StringStringEntryProto e : model.getMetadataPropsList()) {
            props.put(e.getKey(), e.getValue());
        }
        return props;
    }
}
