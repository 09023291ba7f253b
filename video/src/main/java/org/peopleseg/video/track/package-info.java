/**
 * Multi-object tracking for the video pipeline: {@link org.peopleseg.video.track.ByteTracker} gives detections
 * persistent ids (SORT's Kalman motion model and optimal IoU assignment with ByteTrack's low-score second pass), and
 * carries boxes and masks through frames that were not inferred.
 */
package org.peopleseg.video.track;
