package org.peopleseg.train.spec;

import java.nio.file.Path;
import org.peopleseg.train.data.ImageSelection;

/**
 * Where the training and validation data are and how they are read, with TAO's {@code data_config} meaning.
 *
 * @param trainAnnotations  COCO instances json of the training set (command line or peopleseg_config.train_json_file)
 * @param trainImages       its image folder
 * @param valAnnotations    COCO json of the validation set (TAO's val_json_file), or null: no evaluation
 * @param valImages         its image folder
 * @param horizontalFlip    {@code augment_input_data}: flip each training image left-right with probability 0.5
 * @param skipCrowd         {@code skip_crowd_during_training}: leave out iscrowd=1 annotations
 * @param maxInstances      {@code max_num_instances}: at most this many instances per image (0: no limit)
 * @param evalSamples       {@code eval_samples}: evaluate on the first N validation images (0: all)
 * @param trainSelection    which training images to use (command line; all by default)
 * @param valSelection      which validation images to use (command line; eval_samples also limits)
 */
public record DataSettings(Path trainAnnotations, Path trainImages, Path valAnnotations, Path valImages,
        boolean horizontalFlip, boolean skipCrowd, int maxInstances, int evalSamples, ImageSelection trainSelection,
        ImageSelection valSelection) {

    public boolean hasValidation() {
        return valAnnotations != null;
    }
}
