package modprep.status;

/** Where one event's delivery to one webhook stands (stored in notification_delivery.status). */
public enum DeliveryStatus implements Worded {
    PENDING("pending", "waiting to be sent", "text-bg-secondary"),
    DELIVERED("delivered", "delivered", "text-bg-success"),
    ABANDONED("abandoned", "given up after every retry", "text-bg-danger");

    private final Words words;

    DeliveryStatus(String code, String label, String badge) {
        this.words = new Words(code, label, badge);
    }

    @Override
    public Words words() {
        return words;
    }

    public static DeliveryStatus of(String code) {
        return Coded.of(DeliveryStatus.class, code);
    }
}
