package org.peopleseg.core.eval.mot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rows of one MOTChallenge file grouped by frame: the unit that tracking metrics compare (one ground truth with
 * one tracker output of the same video).
 */
public final class MotSequence {
    private final String source;
    private final TreeMap<Integer, List<MotRecord>> frames;
    private final int boxes;
    private final int ids;
    private final int ignoredRows;

    private MotSequence(String source, TreeMap<Integer, List<MotRecord>> frames, int boxes, int ids,
            int ignoredRows) {
        this.source = source;
        this.frames = frames;
        this.boxes = boxes;
        this.ids = ids;
        this.ignoredRows = ignoredRows;
    }

    public static MotSequence of(String source, Collection<MotRecord> records) {
        return of(source, records, 0);
    }

    /**
     * @param ignoredRows ground-truth rows dropped when reading (flag 0), kept only to be reported
     * @throws IllegalArgumentException when an id appears twice in one frame: metrics would be ambiguous
     */
    public static MotSequence of(String source, Collection<MotRecord> records, int ignoredRows) {
        TreeMap<Integer, List<MotRecord>> frames = new TreeMap<>();
        Map<Integer, Set<Integer>> idsPerFrame = new TreeMap<>();
        Set<Integer> ids = new HashSet<>();
        for (MotRecord r : records) {
            if (!idsPerFrame.computeIfAbsent(r.frame(), f -> new HashSet<>()).add(r.id())) {
                throw new IllegalArgumentException(source + ": id " + r.id() + " appears twice in frame " + r.frame());
            }
            frames.computeIfAbsent(r.frame(), f -> new ArrayList<>()).add(r);
            ids.add(r.id());
        }
        frames.replaceAll((f, list) -> List.copyOf(list));
        return new MotSequence(source, frames, records.size(), ids.size(), ignoredRows);
    }

    /** Where the rows came from (a file name), for messages. */
    public String source() {
        return source;
    }

    /** Frame numbers with at least one row, ascending. */
    public NavigableSet<Integer> frames() {
        return Collections.unmodifiableNavigableSet(frames.navigableKeySet());
    }

    /** The rows of one frame in file order; empty when the frame has none. */
    public List<MotRecord> frame(int frame) {
        return frames.getOrDefault(frame, List.of());
    }

    /** All rows, by frame then file order. */
    public List<MotRecord> records() {
        List<MotRecord> all = new ArrayList<>(boxes);
        frames.values().forEach(all::addAll);
        return all;
    }

    /** Number of rows (boxes). */
    public int boxes() {
        return boxes;
    }

    /** Number of distinct ids (trajectories). */
    public int ids() {
        return ids;
    }

    /** Ground-truth rows dropped because their flag was 0; 0 for tracker output. */
    public int ignoredRows() {
        return ignoredRows;
    }
}
