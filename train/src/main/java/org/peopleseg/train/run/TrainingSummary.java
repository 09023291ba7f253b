package org.peopleseg.train.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run did.
 *
 * @param stepsDone      steps completed in total (including those before a resume)
 * @param totalSteps     steps the schedule asks for
 * @param interrupted    stopped early by a stop request (Ctrl-C); the last checkpoint holds stepsDone
 * @param checkpoint     the last checkpoint written
 * @param skippedImages  training images that could not be read (named in {@code failures})
 * @param lastEval       the last evaluation's headline numbers (empty without validation data)
 * @param model          the trained package, or null (interrupted, or no package builder)
 */
public record TrainingSummary(long stepsDone, long totalSteps, boolean interrupted, Path checkpoint,
        int skippedImages, List<String> failures, int skippedAnnotations, Map<String, Double> lastEval,
        double secondsPerStep, Path model) {
    public TrainingSummary {
        failures = List.copyOf(failures);
        lastEval = Map.copyOf(lastEval);
    }
}
