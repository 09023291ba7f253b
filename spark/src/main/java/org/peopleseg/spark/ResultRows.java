package org.peopleseg.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.peopleseg.core.geometry.Box;
import org.peopleseg.core.mask.Rle;
import org.peopleseg.core.result.EncodedInstance;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The job's output rows, as Parquet stores them:
 * {@code (path, image_id, width, height, instances: array<struct<label, category_id, score, box_xyxy, rle_counts,
 * area>>, error)}. {@code rle_counts} is pycocotools' compressed RLE string of a {@code height x width} mask (the
 * {@code counts} of results.json), null for box-only models; {@code box_xyxy} is the model's box in full precision
 * (results.json rounds it to 3 decimals). A row whose image could not be read or segmented has its {@code error}
 * and no instances.
 */
final class ResultRows {
    static final StructType INSTANCE = new StructType(new StructField[] {
        DataTypes.createStructField("label", DataTypes.StringType, false),
        DataTypes.createStructField("category_id", DataTypes.IntegerType, false),
        DataTypes.createStructField("score", DataTypes.DoubleType, false),
        DataTypes.createStructField("box_xyxy", DataTypes.createArrayType(DataTypes.DoubleType, false), false),
        DataTypes.createStructField("rle_counts", DataTypes.StringType, true),
        DataTypes.createStructField("area", DataTypes.LongType, true),
    });

    static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("path", DataTypes.StringType, false),
        DataTypes.createStructField("image_id", DataTypes.LongType, false),
        DataTypes.createStructField("width", DataTypes.IntegerType, true),
        DataTypes.createStructField("height", DataTypes.IntegerType, true),
        DataTypes.createStructField("instances", DataTypes.createArrayType(INSTANCE, false), false),
        DataTypes.createStructField("error", DataTypes.StringType, true),
    });

    private ResultRows() {}

    static Row ok(String path, long imageId, int width, int height, List<EncodedInstance> instances) {
        List<Row> rows = new ArrayList<>(instances.size());
        for (EncodedInstance i : instances) {
            Box b = i.box();
            rows.add(RowFactory.create(i.label(), i.categoryId(), i.score(),
                    CollectionConverters.asScala(List.of(b.x1(), b.y1(), b.x2(), b.y2())).toSeq(),
                    i.mask() == null ? null : i.mask().toCompressedString(),
                    i.mask() == null ? null : i.mask().area()));
        }
        return RowFactory.create(path, imageId, width, height, CollectionConverters.asScala(rows).toSeq(), null);
    }

    static Row failed(String path, long imageId, String error) {
        return RowFactory.create(path, imageId, null, null, CollectionConverters.asScala(List.<Row>of()).toSeq(),
                error);
    }

    static String path(Row r) {
        return r.getString(0);
    }

    static long imageId(Row r) {
        return r.getLong(1);
    }

    static int width(Row r) {
        return r.getInt(2);
    }

    static int height(Row r) {
        return r.getInt(3);
    }

    /** Null when the image was processed. */
    static String error(Row r) {
        return r.isNullAt(5) ? null : r.getString(5);
    }

    /** The row's instances back as the writers and the evaluator take them. */
    static List<EncodedInstance> instances(Row r) {
        int width = width(r), height = height(r);
        List<Row> rows = r.getList(4);
        List<EncodedInstance> out = new ArrayList<>(rows.size());
        for (Row i : rows) {
            List<Double> b = i.getList(3);
            Rle mask = i.isNullAt(4) ? null : Rle.fromCompressedString(height, width, i.getString(4));
            out.add(new EncodedInstance(i.getString(0), i.getInt(1), i.getDouble(2),
                    new Box(b.get(0), b.get(1), b.get(2), b.get(3)), mask));
        }
        return out;
    }
}
