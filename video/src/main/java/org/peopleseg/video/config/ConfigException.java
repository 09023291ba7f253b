package org.peopleseg.video.config;

/** A config file that cannot be used; the message names the file (and line and column when known). */
public class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
