package dev.ballast.catalog;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The passwords a domain's XML holds in {@code passwd} attributes (VNC and SPICE graphics, captured with
 * {@code --security-info} because a redefine without them would drop them), taken out of a text and put
 * back. An attribute is found by XML's own grammar ({@code Name S? '=' S? AttValue}, in either quote), and
 * the result is proved by parsing it: unless the parser then sees every {@code passwd} attribute masked, the
 * whole text counts as the secret. A text that never says passwd is left alone without being parsed.
 */
final class SecretAttributes {

    static final String MASK = "********";
    /** What a text that holds a secret Ballast could not find is shown as; the whole text is the secret. */
    static final String WITHHELD = "<withheld: it holds a passwd that Ballast could not mask>";
    private static final Pattern PASSWD = Pattern.compile("(?<=\\s)(passwd\\s*=\\s*)(?:'([^'<]*)'|\"([^\"<]*)\")");

    /** A text with its secrets masked, and the secrets in the order they stood. */
    record Split(String masked, List<String> secrets) {
    }

    private SecretAttributes() {
    }

    static Split split(String text) {
        if (!text.contains("passwd")) {
            return new Split(text, List.of());
        }
        List<String> secrets = new ArrayList<>();
        Matcher m = PASSWD.matcher(text);
        StringBuilder masked = new StringBuilder();
        while (m.find()) {
            boolean single = m.group(2) != null;
            secrets.add(single ? m.group(2) : m.group(3));
            String quote = single ? "'" : "\"";
            m.appendReplacement(masked, Matcher.quoteReplacement(m.group(1) + quote + MASK + quote));
        }
        m.appendTail(masked);
        if (!everyPasswdMasked(masked.toString())) {
            return new Split(WITHHELD, List.of(text));
        }
        return new Split(masked.toString(), secrets);
    }

    /** The text {@link #split} masked, with its secrets back where they stood. */
    static String join(String masked, List<String> secrets) {
        if (masked.equals(WITHHELD)) {
            return secrets.get(0);
        }
        Iterator<String> next = secrets.iterator();
        Matcher m = PASSWD.matcher(masked);
        StringBuilder text = new StringBuilder();
        while (m.find()) {
            String quote = m.group(2) != null ? "'" : "\"";
            if (!next.hasNext()) {
                throw new IllegalStateException("a stored text holds more masked passwords than were kept");
            }
            m.appendReplacement(text, Matcher.quoteReplacement(m.group(1) + quote + next.next() + quote));
        }
        m.appendTail(text);
        if (next.hasNext()) {
            throw new IllegalStateException("a stored text holds fewer masked passwords than were kept");
        }
        return text.toString();
    }

    /** Whether the text parses as XML whose every passwd attribute, in any namespace, is the mask. */
    private static boolean everyPasswdMasked(String xml) {
        try {
            NodeList elements = DomainXml.document(xml).getElementsByTagName("*");
            for (int i = 0; i < elements.getLength(); i++) {
                NamedNodeMap attributes = elements.item(i).getAttributes();
                for (int j = 0; j < attributes.getLength(); j++) {
                    Node attribute = attributes.item(j);
                    String name = attribute.getNodeName();
                    if ((name.equals("passwd") || name.endsWith(":passwd")) && !attribute.getNodeValue().equals(MASK)) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IllegalArgumentException notXml) {
            return false;
        }
    }
}
