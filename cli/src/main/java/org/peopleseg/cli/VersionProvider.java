package org.peopleseg.cli;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code peopleseg --version}: the project's version and the versions that matter for results and speed. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {
                "peopleseg " + peoplesegVersion(),
                "ONNX Runtime " + onnxRuntimeVersion(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                        + Runtime.getRuntime().availableProcessors() + " CPUs"};
    }

    /** The Maven project version, from a resource filtered at build time. */
    static String peoplesegVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** From the ONNX Runtime jar's manifest, without loading the native library. */
    static String onnxRuntimeVersion() {
        String v = OrtEnvironment.class.getPackage().getImplementationVersion();
        return v != null ? v : "unknown";
    }
}
