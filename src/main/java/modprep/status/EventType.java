package modprep.status;

/** What a webhook is told of (stored in notification_event.event_type, sent as the event's type). */
public enum EventType implements Coded {
    RUN_STARTED("run.started"),
    RUN_ENDED("run.ended"),
    DEPLOYMENT_ENDED("deployment.ended");

    private final String code;

    EventType(String code) {
        this.code = code;
    }

    @Override
    public String code() {
        return code;
    }

    public static EventType of(String code) {
        return Coded.of(EventType.class, code);
    }
}
