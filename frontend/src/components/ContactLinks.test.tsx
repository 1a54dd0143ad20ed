import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ContactLinks } from './ContactLinks';

describe('ContactLinks', () => {
  it('links the phone number with tel: and the address with mailto:, each with its label', () => {
    render(<ContactLinks phone="0223 123 456" email="team@example.nl" phoneLabel="Telefoon" emailLabel="E-mail" className="extra" />);
    expect(screen.getByRole('list')).toHaveClass('contact-list', 'extra');
    expect(screen.getByRole('link', { name: /Telefoon\s*0223 123 456/ })).toHaveAttribute('href', 'tel:0223123456');
    expect(screen.getByRole('link', { name: /E-mail\s*team@example.nl/ })).toHaveAttribute('href', 'mailto:team@example.nl');
  });

  it('leaves out what is not given', () => {
    render(<ContactLinks email="team@example.nl" phoneLabel="Telefoon" emailLabel="E-mail" />);
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
    expect(screen.queryByRole('link', { name: /Telefoon/ })).not.toBeInTheDocument();
  });
});
