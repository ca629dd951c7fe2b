package modprep.web;

import com.fasterxml.jackson.annotation.JsonIgnore;
import modprep.environment.PublishState;

/** A module in a list: the Modules page, an application, producers and consumers. */
public record ModuleRow(String name, String application, PublishState state, String statusCode, String statusLabel,
                        String badge, @JsonIgnore String filter, String runningVersion) {
}
