package org.peopleseg.train.yolo.run;

import java.nio.file.Path;
import org.peopleseg.train.yolo.data.Augmentation;

/**
 * What to fine-tune and how.
 *
 * @param model         the start package (an fp32 yolo-seg package from {@code peopleseg import})
 * @param annotations   COCO json (boxes only, or with masks)
 * @param images        the images it names
 * @param idModulus     with {@code idRemainder}: train only on image ids with {@code id % idModulus ==
 *                      idRemainder} (0 = every image)
 * @param output        the run folder
 * @param freeze        backbone, none or a number of conv layers
 * @param resume        continue from the newest {@code output/checkpoints/step-N.ckpt}
 * @param deploy        the package the trained weights are written into (null = {@code model}): the same source
 *                      imported at another input size, so a run can train at a smaller size than it deploys at
 */
public record FineTuneSettings(Path model, Path annotations, Path images, int idModulus, int idRemainder,
                               Path output, int epochs, String freeze, Hyperparameters hyper, Augmentation augmentation,
                               long seed, boolean resume, Path deploy) {}
