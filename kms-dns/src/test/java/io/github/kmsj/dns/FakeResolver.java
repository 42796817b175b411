package io.github.kmsj.dns;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/** An in-memory {@link Resolver} answering from canned responses, recording what it was asked. */
final class FakeResolver implements Resolver {

  private final Map<String, Function<Message, Message>> answers = new HashMap<>();
  final List<Message> sent = new ArrayList<>();
  private Function<Message, Message> updates = q -> reply(q, Rcode.NOTIMP);

  private static String key(Name name, int type) {
    return name.toString().toLowerCase() + "/" + Type.string(type);
  }

  /** Answers {@code name/type} with the given records (NOERROR). */
  FakeResolver answer(String name, int type, Record... records) {
    answers.put(
        key(name(name), type),
        q -> {
          Message m = reply(q, Rcode.NOERROR);
          for (Record r : records) {
            m.addRecord(r, Section.ANSWER);
          }
          return m;
        });
    return this;
  }

  /** Answers {@code name/type} with an rcode and no records. */
  FakeResolver rcode(String name, int type, int rcode) {
    answers.put(key(name(name), type), q -> reply(q, rcode));
    return this;
  }

  /** Times out on {@code name/type}. */
  FakeResolver timeout(String name, int type) {
    answers.put(key(name(name), type), q -> null);
    return this;
  }

  /** Answers {@code name/type} with a custom function. */
  FakeResolver on(String name, int type, Function<Message, Message> f) {
    answers.put(key(name(name), type), f);
    return this;
  }

  /** Answers updates with a custom function. */
  FakeResolver onUpdate(Function<Message, Message> f) {
    updates = f;
    return this;
  }

  static Name name(String s) {
    return DnsNames.absolute(s, "name");
  }

  static SRVRecord srv(String owner, int priority, int weight, int port, String target) {
    return new SRVRecord(
        name(owner),
        DClass.IN,
        300,
        priority,
        weight,
        port,
        target.equals(".") ? Name.root : name(target));
  }

  static Message reply(Message query, int rcode) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setOpcode(query.getHeader().getOpcode());
    m.getHeader().setRcode(rcode);
    if (query.getQuestion() != null) {
      m.addRecord(query.getQuestion(), Section.QUESTION);
    }
    return m;
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, Runnable::run);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    sent.add(query);
    Function<Message, Message> f;
    if (query.getHeader().getOpcode() == org.xbill.DNS.Opcode.UPDATE) {
      f = updates;
    } else {
      Record q = query.getQuestion();
      f = answers.getOrDefault(key(q.getName(), q.getType()), m -> reply(m, Rcode.NXDOMAIN));
    }
    Message response = f.apply(query);
    return response == null
        ? CompletableFuture.failedFuture(new SocketTimeoutException("Query timed out"))
        : CompletableFuture.completedFuture(response);
  }

  @Override
  public Message send(Message query) throws IOException {
    try {
      return sendAsync(query).toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      throw (IOException) e.getCause();
    }
  }

  @Override
  public void setPort(int port) {}

  @Override
  public void setTCP(boolean flag) {}

  @Override
  public void setIgnoreTruncation(boolean flag) {}

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {}

  @Override
  public void setTSIGKey(TSIG key) {}

  @Override
  public void setTimeout(Duration timeout) {}

  @Override
  public String toString() {
    return "FakeResolver";
  }
}
