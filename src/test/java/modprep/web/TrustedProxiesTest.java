package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The trusted-proxies setting as the web reads it: cached for a few seconds, and addresses read without DNS. */
class TrustedProxiesTest {
    private static InetAddress at(String text) {
        var address = IpRange.address(text);
        assertTrue(address != null, text);
        return address;
    }

    @Test
    void a_changed_setting_applies_once_the_few_seconds_of_the_cache_are_over_and_is_read_once_meanwhile() {
        var setting = new AtomicReference<List<String>>(List.of("127.0.0.1"));
        var reads = new AtomicInteger();
        var now = new AtomicLong();
        var proxies = new TrustedProxies(() -> {
            reads.incrementAndGet();
            return setting.get();
        }, now::get);
        assertTrue(proxies.trusts(at("127.0.0.1")));

        setting.set(List.of("10.0.0.0/8"));
        now.addAndGet(TrustedProxies.FRESH_FOR.toNanos() - 1);
        assertTrue(proxies.trusts(at("127.0.0.1")), "still the list read a moment ago");
        assertEquals(1, reads.get(), "one read for all the requests of those seconds");

        now.addAndGet(1);
        assertFalse(proxies.trusts(at("127.0.0.1")), "the change applies");
        assertTrue(proxies.trusts(at("10.200.3.4")));
        assertEquals(2, reads.get());
    }

    @Test
    void a_setting_that_cannot_be_read_keeps_the_last_list_read_and_trusts_nobody_before_any() {
        var failing = new AtomicReference<Boolean>(true);
        var now = new AtomicLong();
        var proxies = new TrustedProxies(() -> {
            if (failing.get()) {
                throw new IllegalStateException("the database is away");
            }
            return List.of("192.168.0.0/16");
        }, now::get);
        assertFalse(proxies.trusts(at("192.168.1.1")), "nothing read yet: nobody trusted");

        failing.set(false);
        now.addAndGet(TrustedProxies.FRESH_FOR.toNanos());
        assertTrue(proxies.trusts(at("192.168.1.1")));

        failing.set(true);
        now.addAndGet(TrustedProxies.FRESH_FOR.toNanos());
        assertTrue(proxies.trusts(at("192.168.1.1")), "the last list read goes on");
    }

    @Test
    void ranges_hold_the_addresses_of_their_prefix_in_their_own_family_only() {
        assertTrue(IpRange.of("10.0.0.0/8").contains(at("10.255.0.1")));
        assertFalse(IpRange.of("10.0.0.0/8").contains(at("11.0.0.1")));
        assertTrue(IpRange.of("192.168.1.128/25").contains(at("192.168.1.200")));
        assertFalse(IpRange.of("192.168.1.128/25").contains(at("192.168.1.127")));
        assertTrue(IpRange.of("0.0.0.0/0").contains(at("203.0.113.9")));
        assertTrue(IpRange.of("::1").contains(at("0:0:0:0:0:0:0:1")));
        assertTrue(IpRange.of("2001:db8::/32").contains(at("[2001:db8:ffff::7]:443")));
        assertFalse(IpRange.of("::/0").contains(at("127.0.0.1")), "an IPv6 range holds no IPv4 address");
    }

    @Test
    void forwarded_entries_are_read_as_address_literals_and_anything_else_is_no_address_without_a_dns_lookup() {
        assertEquals(at("203.0.113.9"), IpRange.address(" 203.0.113.9:5100 "));
        assertEquals(at("2001:db8::1"), IpRange.address("[2001:db8::1]:5100"));
        for (String notAnAddress : List.of("unknown", "localhost", "evil.example", "256.1.1.1", "1.2.3", "", "[::1", "_hidden",
                "1.2.3.4.5", "::g", "10.0.0.1:80:90")) {
            assertNull(IpRange.address(notAnAddress), notAnAddress);
        }
    }
}
