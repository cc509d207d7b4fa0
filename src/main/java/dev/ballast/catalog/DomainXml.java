package dev.ballast.catalog;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * libvirt domain XML read and written with the JDK's DOM, never with string edits: the text comes from
 * a host, so the parser refuses DTDs and external entities outright. Also the one canonical form used
 * to compare two XML texts (libvirt reformats what it is given, so equal domains need not be equal text).
 */
final class DomainXml {

    /** Namespaces of managers that regenerate the XML from their own database and would undo our edit. */
    private static final Map<String, String> MANAGERS = Map.of(
            "http://openstack.org/xmlns/libvirt/nova/", "OpenStack nova",
            "http://ovirt.org/vm/", "oVirt");

    private DomainXml() {
    }

    static Document parse(String xml) {
        Document document = document(xml);
        if (!document.getDocumentElement().getTagName().equals("domain")) {
            throw new IllegalArgumentException("the XML is not a libvirt domain: its root is <"
                    + document.getDocumentElement().getTagName() + ">");
        }
        return document;
    }

    /** Any well-formed XML from a host, parsed with DTDs and external entities refused. */
    static Document document(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler());
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException("the domain XML is not well-formed: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be secured", e);
        }
    }

    static String serialize(Document document) {
        return print(document, false);
    }

    /** One element or text per line, for a diff a person reads. */
    static String indented(Document document) {
        return print(document, true);
    }

    private static String print(Document document, boolean indent) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.INDENT, indent ? "yes" : "no");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot serialize domain XML", e);
        }
    }

    /** Whitespace between elements and quoting style dropped, attributes in one order: equal domains, equal text. */
    static String canonical(String xml) {
        Document document = parse(xml);
        dropBlankText(document.getDocumentElement());
        return serialize(document);
    }

    private static void dropBlankText(Node node) {
        NodeList children = node.getChildNodes();
        for (int i = children.getLength() - 1; i >= 0; i--) {
            Node child = children.item(i);
            if (child.getNodeType() == Node.TEXT_NODE && child.getTextContent().isBlank()) {
                node.removeChild(child);
            } else if (child.getNodeType() == Node.ELEMENT_NODE) {
                dropBlankText(child);
            }
        }
    }

    static String name(Document document) {
        Element name = child(document.getDocumentElement(), "name");
        return name == null ? "?" : name.getTextContent().strip();
    }

    static String uuid(Document document) {
        Element uuid = child(document.getDocumentElement(), "uuid");
        return uuid == null ? "" : uuid.getTextContent().strip();
    }

    /** The OS id libosinfo metadata gives ({@code http://debian.org/debian/12}), or null when there is none. */
    static String libosinfoOs(Document document) {
        Element metadata = child(document.getDocumentElement(), "metadata");
        for (Element entry : metadata == null ? List.<Element>of() : children(metadata, null)) {
            if (LIBOSINFO.equals(entry.getNamespaceURI())) {
                for (Element os : children(entry, null)) {
                    if (LIBOSINFO.equals(os.getNamespaceURI()) && os.getLocalName().equals("os") && os.hasAttribute("id")) {
                        return os.getAttribute("id");
                    }
                }
            }
        }
        return null;
    }

    private static final String LIBOSINFO = "http://libosinfo.org/xmlns/libvirt/domain/1.0";

    /** The domain's memory ({@code <memory unit=...>}) in KiB; libvirt's default unit is KiB. */
    static long memoryKib(Document document) {
        Element memory = child(document.getDocumentElement(), "memory");
        if (memory == null) {
            return 0;
        }
        long value = Long.parseLong(memory.getTextContent().strip());
        String unit = memory.getAttribute("unit");
        return switch (unit.isEmpty() ? "KiB" : unit) {
            case "b", "bytes" -> value / 1024;
            case "KB" -> value * 1000 / 1024;
            case "k", "KiB" -> value;
            case "MB" -> value * 1_000_000 / 1024;
            case "M", "MiB" -> value << 10;
            case "GB" -> value * 1_000_000_000 / 1024;
            case "G", "GiB" -> value << 20;
            case "T", "TiB" -> value << 30;
            default -> throw new IllegalArgumentException("domain memory in an unknown unit: " + unit);
        };
    }

    /** The manager (nova, oVirt) whose metadata the domain carries, or null when none does. */
    static String manager(Document document) {
        Element metadata = child(document.getDocumentElement(), "metadata");
        if (metadata == null) {
            return null;
        }
        for (Element entry : children(metadata, null)) {
            String namespace = entry.getNamespaceURI();
            for (Map.Entry<String, String> manager : MANAGERS.entrySet()) {
                if (namespace != null && namespace.startsWith(manager.getKey())) {
                    return manager.getValue();
                }
            }
        }
        return null;
    }

    static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The child elements with this local name (without a namespace), or all child elements when name is null. */
    static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && (name == null
                    || element.getNamespaceURI() == null && name.equals(element.getLocalName()))) {
                found.add(element);
            }
        }
        return found;
    }

    /** The child with this name, created at the end of {@code parent} when it is missing. */
    static Element childOrNew(Element parent, String name) {
        Element existing = child(parent, name);
        if (existing != null) {
            return existing;
        }
        Element created = create(parent.getOwnerDocument(), name);
        parent.appendChild(created);
        return created;
    }

    /** A new element in no namespace, created so that {@link #children} finds it by its local name. */
    static Element create(Document document, String name) {
        return document.createElementNS(null, name);
    }

    /** An attribute's value as operators read it in drift: the value, or "unset". */
    static String shown(Element element, String attribute) {
        return element == null || !element.hasAttribute(attribute) ? "unset" : element.getAttribute(attribute);
    }
}
