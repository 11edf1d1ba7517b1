package io.gaggle.channel.socketio;

import com.corundumstudio.socketio.Transport;
import com.corundumstudio.socketio.messages.PacketsMessage;
import com.corundumstudio.socketio.protocol.EngineIOVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Gives every Socket.IO CONNECT packet without a payload an empty one, {@code {}}. netty-socketio
 * admits a CONNECT without a payload unchecked, and asks its auth token listener only about one
 * with a payload; filled in, a client that sends no {@code auth} at all is refused with a
 * {@code connect_error}, as one with a wrong token is.
 * <p>
 * A message holds one Engine.IO packet (WebSocket) or several separated by {@code 0x1e}
 * (long-polling); a CONNECT without a payload is {@code 40}, or {@code 40/<namespace>,}.
 */
@ChannelHandler.Sharable
final class AuthPayloadFiller extends ChannelInboundHandlerAdapter {

    private static final byte SEPARATOR = 0x1e;
    private static final byte[] EMPTY_PAYLOAD = {'{', '}'};

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PacketsMessage packets && packets.getClient().getEngineIOVersion() == EngineIOVersion.V4
                && hasBareConnect(packets)) {
            ByteBuf filled = fill(packets.getContent());
            try {
                ctx.fireChannelRead(new PacketsMessage(packets.getClient(), filled, packets.getTransport()));
            } finally {
                filled.release();
            }
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private static boolean hasBareConnect(PacketsMessage packets) {
        ByteBuf content = packets.getContent();
        if (packets.getTransport() == Transport.WEBSOCKET) {
            return isBareConnect(content, content.readerIndex(), content.writerIndex());
        }
        int start = content.readerIndex();
        while (true) {
            int separator = content.indexOf(start, content.writerIndex(), SEPARATOR);
            if (isBareConnect(content, start, separator < 0 ? content.writerIndex() : separator)) {
                return true;
            }
            if (separator < 0) {
                return false;
            }
            start = separator + 1;
        }
    }

    private static boolean isBareConnect(ByteBuf content, int from, int to) {
        if (to - from < 2 || content.getByte(from) != '4' || content.getByte(from + 1) != '0') {
            return false;
        }
        return to - from == 2
                || content.getByte(from + 2) == '/' && content.indexOf(from + 2, to, (byte) ',') == to - 1;
    }

    /** The packets with {@code {}} after each CONNECT that has no payload. */
    private static ByteBuf fill(ByteBuf content) {
        ByteBuf filled = Unpooled.buffer(content.readableBytes() + EMPTY_PAYLOAD.length);
        int start = content.readerIndex();
        while (true) {
            int separator = content.indexOf(start, content.writerIndex(), SEPARATOR);
            int end = separator < 0 ? content.writerIndex() : separator;
            filled.writeBytes(content, start, end - start);
            if (isBareConnect(content, start, end)) {
                filled.writeBytes(EMPTY_PAYLOAD);
            }
            if (separator < 0) {
                return filled;
            }
            filled.writeByte(SEPARATOR);
            start = separator + 1;
        }
    }
}
