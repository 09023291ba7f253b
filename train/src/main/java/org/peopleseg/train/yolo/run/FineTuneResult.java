package org.peopleseg.train.yolo.run;

import java.nio.file.Path;
import java.util.List;

/** What a fine-tuning run did: its epochs' metrics and the package it wrote. */
public record FineTuneResult(Path model, List<EpochMetrics> epochs, int images, int skipped, String optimizer) {

    /** One epoch: mean loss terms over its images, the learning rate at its end, time and memory. */
    public record EpochMetrics(int epoch, double box, double seg, double cls, double dfl, double total, double lr,
                               double seconds, double secondsPerImage, double rssMib, int images, int skipped) {}
}
