package org.peopleseg.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peopleseg.video.source.SourceException;
import org.peopleseg.video.source.VideoProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code peopleseg probe}: container, codec, size, frame rate and decoded frame count of video files. */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        description = {"Show what video files contain: container, codec, size, frame rate, and the number of frames "
                + "that decode (every frame is decoded, so a truncated file shows).", ""},
        footerHeading = "%nExample:%n",
        footer = {"  peopleseg probe out/vtest.mp4"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every file decoded", "1:some files could not be decoded (named)"})
final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "VIDEO", description = "Video files.")
    List<Path> files;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        int failed = 0;
        for (Path f : files) {
            try {
                VideoProbe p = VideoProbe.of(f);
                out.printf(Locale.ROOT, "%s: %s, %s, %dx%d, %.2f fps, %d frames, %.2f s%n", f, p.format(), p.codec(),
                        p.width(), p.height(), p.frameRate(), p.framesDecoded(), p.durationMs() / 1000);
            } catch (SourceException e) {
                err.println(spec.qualifiedName() + ": " + e.getMessage());
                failed++;
            }
        }
        out.flush();
        err.flush();
        return failed == 0 ? Main.OK : Main.INPUTS_FAILED;
    }
}
