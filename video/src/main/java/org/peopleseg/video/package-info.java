/**
 * Video analytics: frame sources (files, image sequences, network streams, cameras), batching, the tracker,
 * sinks (annotated MP4, JSON Lines, MOT tracks, performance lines) and the pipeline that joins them.
 */
package org.peopleseg.video;
