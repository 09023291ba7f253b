package org.peopleseg.core.dataset;

/** One entry of a COCO {@code categories} list. {@code supercategory} may be empty. */
public record CocoCategory(int id, String name, String supercategory) {
}
