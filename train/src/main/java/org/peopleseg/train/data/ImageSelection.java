package org.peopleseg.train.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.peopleseg.core.dataset.CocoAnnotation;
import org.peopleseg.core.dataset.CocoDataset;
import org.peopleseg.core.dataset.CocoFormatException;
import org.peopleseg.core.dataset.CocoImage;

/**
 * Which images of a COCO file to use: those with {@code id % mod == rem} (coco-person's train/test split is
 * {@code id % 4}: 0 train, 2 test), then the first {@code limit} in file order. {@code mod 0} keeps every id,
 * {@code limit 0} every image.
 */
public record ImageSelection(int mod, int rem, int limit) {
    public static final ImageSelection ALL = new ImageSelection(0, 0, 0);

    public ImageSelection {
        if (mod < 0 || limit < 0 || (mod > 0 && (rem < 0 || rem >= mod))) {
            throw new IllegalArgumentException("image selection needs mod >= 0, 0 <= rem < mod and limit >= 0, got "
                    + mod + ":" + rem + " limit " + limit);
        }
    }

    public boolean isAll() {
        return mod == 0 && limit == 0;
    }

    public CocoDataset apply(CocoDataset gt) throws CocoFormatException {
        if (isAll()) {
            return gt;
        }
        List<CocoImage> images = new ArrayList<>();
        for (CocoImage image : gt.images()) {
            if ((mod == 0 || Math.floorMod(image.id(), mod) == rem) && (limit == 0 || images.size() < limit)) {
                images.add(image);
            }
        }
        Set<Long> ids = new HashSet<>();
        images.forEach(i -> ids.add(i.id()));
        List<CocoAnnotation> anns = new ArrayList<>();
        for (CocoAnnotation a : gt.annotations()) {
            if (ids.contains(a.imageId())) {
                anns.add(a);
            }
        }
        return CocoDataset.of(gt.source(), images, anns, gt.categories());
    }

    @Override
    public String toString() {
        if (isAll()) {
            return "all images";
        }
        return (mod > 0 ? "ids with id % " + mod + " == " + rem : "all ids") + (limit > 0 ? ", first " + limit : "");
    }
}
