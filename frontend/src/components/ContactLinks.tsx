import type { ReactNode } from 'react';
import { telHref } from '../lib/text';
import { MailIcon, PhoneIcon } from './Icons';

interface ContactLinksProps {
  phone?: string;
  email?: string;
  /** Visible labels above each value ("Telefoon", "E-mail"). */
  phoneLabel: string;
  emailLabel: string;
  /** Extra class on the list beside `contact-list`. */
  className?: string;
}

/** A phone (tel:) and e-mail (mailto:) link with icon, label and value; only those given. */
export function ContactLinks({ phone, email, phoneLabel, emailLabel, className }: ContactLinksProps) {
  return (
    <ul className={className ? `contact-list ${className}` : 'contact-list'}>
      {phone && <ContactLink href={telHref(phone)} icon={<PhoneIcon className="contact-link__icon" />} label={phoneLabel} value={phone} />}
      {email && <ContactLink href={`mailto:${email}`} icon={<MailIcon className="contact-link__icon" />} label={emailLabel} value={email} />}
    </ul>
  );
}

function ContactLink({ href, icon, label, value }: { href: string; icon: ReactNode; label: string; value: string }) {
  return (
    <li>
      <a href={href} className="contact-link">
        {icon}
        <span>
          <span className="contact-link__label">{label}</span>
          <span className="contact-link__value">{value}</span>
        </span>
      </a>
    </li>
  );
}
