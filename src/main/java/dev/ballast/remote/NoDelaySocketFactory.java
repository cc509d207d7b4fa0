package dev.ballast.remote;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;

/**
 * Sockets with TCP_NODELAY on. SSH sends small packets and waits for answers; with Nagle's algorithm
 * and delayed ACKs each command stalls for tens of milliseconds (measured: 3 commands 3.6 s vs 0.4 s
 * over 1,000 hosts). sshj never sets it itself.
 */
final class NoDelaySocketFactory extends SocketFactory {

    @Override
    public Socket createSocket() throws IOException {
        Socket socket = new Socket();
        socket.setTcpNoDelay(true);
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        throw new UnsupportedOperationException("sshj connects an unconnected socket itself");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        throw new UnsupportedOperationException("sshj connects an unconnected socket itself");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        throw new UnsupportedOperationException("sshj connects an unconnected socket itself");
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        throw new UnsupportedOperationException("sshj connects an unconnected socket itself");
    }
}
