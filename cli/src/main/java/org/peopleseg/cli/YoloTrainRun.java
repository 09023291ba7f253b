package org.peopleseg.cli;

import java.util.ArrayList;
import java.util.List;
import org.peopleseg.train.yolo.run.YoloTrainCommand;
import picocli.CommandLine;

/**
 * {@code peopleseg train --model PACKAGE ...}: the YOLO-seg trainer's own command (train module), given the
 * arguments after {@code train} as they were typed, so its options and help are its own. Kept apart from
 * {@link TrainCommand} because it needs the train module on the class path.
 */
final class YoloTrainRun {
    static final String COMMAND_CLASS = "org.peopleseg.train.yolo.run.YoloTrainCommand";

    private YoloTrainRun() {}

    /** @param out, err where usage and command-line errors go (the trainer's log is stderr) */
    static int run(List<String> original, java.io.PrintWriter out, java.io.PrintWriter err) {
        List<String> args = new ArrayList<>();
        int train = original.indexOf("train");
        for (String a : original.subList(train + 1, original.size())) {
            if (!a.equals("--debug")) { // Main's option, inherited by every command; not the trainer's
                args.add(a);
            }
        }
        CommandLine cl = new CommandLine(new YoloTrainCommand()).setOut(out).setErr(err);
        int code = cl.execute(args.toArray(String[]::new));
        out.flush();
        err.flush();
        return code;
    }
}
