import type { PrismaPg } from "@prisma/adapter-pg";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Transaction = Awaited<ReturnType<Adapter["startTransaction"]>>;

/**
 * The node-postgres adapter with a transaction's queries sent one at a time. Prisma's query
 * interpreter (6.19, and 7.x as well) runs the queries of an `include` in parallel, which inside
 * a transaction puts them on the transaction's one connection at once: pg 8.19+ warns about it
 * and pg 9 will refuse it (prisma/orm pull requests 29468 and 29979, open). Outside transactions
 * every query takes a connection of its own from the pool, so nothing changes there.
 */
export function withOneQueryAtATimeInTransactions(factory: PrismaPg): PrismaPg {
  return forwardingAllBut(factory, {
    connect: async () => {
      const adapter = await factory.connect();
      return forwardingAllBut(adapter, {
        startTransaction: async (...args: Parameters<Adapter["startTransaction"]>) =>
          oneQueryAtATime(await adapter.startTransaction(...args)),
      });
    },
  });
}

function oneQueryAtATime(transaction: Transaction): Transaction {
  let previous: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const turn = previous.then(run, run);
    previous = turn.catch(() => undefined);
    return turn;
  };
  return forwardingAllBut(transaction, {
    queryRaw: (query: Parameters<Transaction["queryRaw"]>[0]) => inTurn(() => transaction.queryRaw(query)),
    executeRaw: (query: Parameters<Transaction["executeRaw"]>[0]) =>
      inTurn(() => transaction.executeRaw(query)),
  });
}

/** `target` with the given members replaced; its other methods keep `target` as `this`. */
function forwardingAllBut<T extends object>(target: T, replaced: Partial<T>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(replaced, key)) return replaced[key as keyof T];
      const value = Reflect.get(object, key, object);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}
