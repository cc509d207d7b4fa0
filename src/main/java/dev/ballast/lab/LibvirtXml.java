package dev.ballast.lab;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Domain XML as the lab's libvirt holds it: a small element tree that keeps attribute order and
 * namespace prefixes, printed the way libvirt prints it (two-space indent, single-quoted attributes).
 * Printing a parsed document is a fixed point, as {@code dumpxml} after {@code define} is on a real host.
 * Deliberately not the catalog's DOM code: the lab must not share the parser whose output it judges.
 */
final class LibvirtXml {

    private LibvirtXml() {
    }

    static final class Element {
        final String name;
        final Map<String, String> attributes = new LinkedHashMap<>();
        final List<Element> children = new ArrayList<>();
        String text = "";

        Element(String name) {
            this.name = name;
        }

        Element child(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).findFirst().orElse(null);
        }

        List<Element> all(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).toList();
        }

        String childText(String childName) {
            Element child = child(childName);
            return child == null ? null : child.text;
        }
    }

    /** Parses well-formed XML without DTDs; the message of the exception is what libvirt would show. */
    static Element parse(String xml) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader reader = factory.createXMLStreamReader(new StringReader(xml));
        List<Element> open = new ArrayList<>();
        Element root = null;
        while (reader.hasNext()) {
            int event = reader.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                Element element = new Element(qualified(reader.getPrefix(), reader.getLocalName()));
                for (int i = 0; i < reader.getNamespaceCount(); i++) {
                    String prefix = reader.getNamespacePrefix(i);
                    element.attributes.put(prefix == null || prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix,
                            reader.getNamespaceURI(i));
                }
                for (int i = 0; i < reader.getAttributeCount(); i++) {
                    element.attributes.put(qualified(reader.getAttributePrefix(i), reader.getAttributeLocalName(i)),
                            reader.getAttributeValue(i));
                }
                if (open.isEmpty()) {
                    root = element;
                } else {
                    open.get(open.size() - 1).children.add(element);
                }
                open.add(element);
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                Element closed = open.remove(open.size() - 1);
                closed.text = closed.children.isEmpty() ? closed.text : "";
            } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                if (!open.isEmpty()) {
                    open.get(open.size() - 1).text += reader.getText();
                }
            }
        }
        if (root == null) {
            throw new XMLStreamException("Document is empty");
        }
        trimLeaves(root);
        return root;
    }

    private static void trimLeaves(Element element) {
        if (element.children.isEmpty() && element.text.isBlank()) {
            element.text = "";
        }
        element.children.forEach(LibvirtXml::trimLeaves);
    }

    private static String qualified(String prefix, String local) {
        return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
    }

    static String format(Element root) {
        StringBuilder out = new StringBuilder();
        format(root, "", out);
        return out.toString();
    }

    private static void format(Element element, String indent, StringBuilder out) {
        out.append(indent).append('<').append(element.name);
        element.attributes.forEach((name, value) -> out.append(' ').append(name).append("='")
                .append(escape(value, true)).append('\''));
        if (!element.children.isEmpty()) {
            out.append(">\n");
            element.children.forEach(child -> format(child, indent + "  ", out));
            out.append(indent).append("</").append(element.name).append(">\n");
        } else if (!element.text.isEmpty()) {
            out.append('>').append(escape(element.text, false)).append("</").append(element.name).append(">\n");
        } else {
            out.append("/>\n");
        }
    }

    private static String escape(String text, boolean attribute) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return attribute ? escaped.replace("'", "&apos;").replace("\"", "&quot;") : escaped;
    }
}
