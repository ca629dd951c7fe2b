package modprep.web;

/** A module in a list: the Modules page, an application, producers and consumers. */
public record ModuleRow(String name, String application, String state, String statusCode, String statusLabel,
                        String badge, String filter, String runningVersion) {
}
