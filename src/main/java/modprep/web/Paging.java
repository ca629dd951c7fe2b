package modprep.web;

import java.util.List;

/** One page of a longer list, and where it sits. */
public record Paging<T>(List<T> items, int page, int size, int total) {
    static final int SIZE = 50;

    static <T> Paging<T> of(List<T> all, int page) {
        int pages = Math.max(1, (all.size() + SIZE - 1) / SIZE);
        int current = Math.max(1, Math.min(page, pages));
        int from = (current - 1) * SIZE;
        return new Paging<>(all.subList(from, Math.min(all.size(), from + SIZE)), current, SIZE, all.size());
    }

    public int pages() {
        return Math.max(1, (total + size - 1) / size);
    }

    public int first() {
        return total == 0 ? 0 : (page - 1) * size + 1;
    }

    public int last() {
        return Math.min(total, page * size);
    }
}
